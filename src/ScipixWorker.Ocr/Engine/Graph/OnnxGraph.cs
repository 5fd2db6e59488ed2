using System.Runtime.InteropServices;

namespace ScipixWorker.Ocr.Engine.Graph;

/// <summary>
/// The main graph of an ONNX model (<c>onnx.proto</c>'s ModelProto), editable: its nodes in order, its inputs, outputs
/// and constant values (Constant nodes and initializers). Everything not edited is written back as it was read. Field
/// numbers are those of ONNX's <c>onnx.proto</c>.
/// </summary>
internal sealed class OnnxGraph
{
    private const int ModelOpsetImport = 8;
    private const int ModelGraph = 7;
    private const int OpsetDomain = 1;
    private const int OpsetVersion = 2;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensor = 1;
    private const int TensorElementType = 1;

    private readonly ProtoMessage _model;
    private readonly ProtoMessage _graph;
    private readonly HashSet<string> _outputs;

    private OnnxGraph(ProtoMessage model, ProtoMessage graph)
    {
        _model = model;
        _graph = graph;
        Nodes = graph.All(GraphNode).Select(f => new OnnxNode(f.Message)).ToList();
        Inputs = graph.All(GraphInput).Select(f => f.Message.First(ValueInfoName)?.AsString() ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        _outputs = graph.All(GraphOutput).Select(f => f.Message.First(ValueInfoName)?.AsString() ?? string.Empty).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The version of an operator set the model imports (ONNX's own: the empty domain); null if not imported.</summary>
    public long? Opset(string domain) =>
        _model.All(ModelOpsetImport).Select(f => f.Message)
            .Where(m => Imports(m, domain))
            .Select(m => (long?)unchecked((long)(m.First(OpsetVersion)?.Value ?? 0)))
            .FirstOrDefault();

    /// <summary>Sets the version of an operator set the model imports (ONNX's own: the empty domain).</summary>
    /// <exception cref="InvalidOperationException">The model does not import it.</exception>
    public void SetOpset(string domain, long version)
    {
        var at = _model.Fields.FindIndex(f => f.Number == ModelOpsetImport && Imports(f.Message, domain));
        if (at < 0)
        {
            throw new InvalidOperationException($"The model does not import the operator set '{domain}'.");
        }

        var opset = _model.Fields[at].Message;
        opset.Fields.RemoveAll(f => f.Number == OpsetVersion);
        opset.Fields.Add(ProtoField.OfVarint(OpsetVersion, version));
        _model.Fields[at] = ProtoField.OfMessage(ModelOpsetImport, opset);
    }

    /// <summary>Imports an operator set (a domain's version), unless the model imports that domain already.</summary>
    public void ImportOpset(string domain, long version)
    {
        if (Opset(domain) is not null)
        {
            return;
        }

        var opset = new ProtoMessage();
        opset.Fields.Add(ProtoField.OfString(OpsetDomain, domain));
        opset.Fields.Add(ProtoField.OfVarint(OpsetVersion, version));
        InsertAfterLast(_model, ModelOpsetImport, opset);
    }

    /// <summary>Adds a tensor (an <see cref="OnnxTensor"/> message with its name) to the graph's initializers.</summary>
    public void AddInitializer(ProtoMessage tensor) => InsertAfterLast(_graph, GraphInitializer, tensor);

    /// <summary>Makes the FP32 value <paramref name="name"/> an output of the graph too (its shape left to the runtime), unless it is one.</summary>
    public void AddFloatOutput(string name)
    {
        if (!_outputs.Add(name))
        {
            return;
        }

        var tensorType = new ProtoMessage();
        tensorType.Fields.Add(ProtoField.OfVarint(TensorElementType, OnnxTensor.FloatType));
        var type = new ProtoMessage();
        type.Fields.Add(ProtoField.OfMessage(TypeTensor, tensorType));
        var info = new ProtoMessage();
        info.Fields.Add(ProtoField.OfString(ValueInfoName, name));
        info.Fields.Add(ProtoField.OfMessage(ValueInfoType, type));
        InsertAfterLast(_graph, GraphOutput, info);
    }

    // Whether an OperatorSetIdProto imports the domain (ONNX's own is the empty domain, also written "ai.onnx").
    private static bool Imports(ProtoMessage opset, string domain) =>
        (opset.First(OpsetDomain)?.AsString() ?? string.Empty) is var d && (d == domain || (domain.Length == 0 && d == "ai.onnx"));

    // A field added after the last of its number (at the end where there is none), so that repeated fields keep their order.
    private static void InsertAfterLast(ProtoMessage message, int number, ProtoMessage value)
    {
        var at = message.Fields.FindLastIndex(f => f.Number == number);
        message.Fields.Insert(at < 0 ? message.Fields.Count : at + 1, ProtoField.OfMessage(number, value));
    }

    /// <summary>Removes the Constant nodes whose values nothing reads any more.</summary>
    public void RemoveUnreadConstants()
    {
        var readers = Readers();
        Nodes.RemoveAll(n => n.OpType == "Constant" && n.Domain.Length == 0 && n.Outputs.All(o => readers.GetValueOrDefault(o) == 0));
    }

    public List<OnnxNode> Nodes { get; }

    /// <summary>The graph's inputs (an initializer of the same name is then a default, not a constant).</summary>
    public IReadOnlySet<string> Inputs { get; }

    public IReadOnlySet<string> Outputs => _outputs;

    /// <exception cref="InvalidDataException">The bytes are not a model with a graph.</exception>
    public static OnnxGraph Parse(ReadOnlyMemory<byte> model)
    {
        var proto = ProtoMessage.Parse(model);
        var graph = proto.First(ModelGraph) ?? throw new InvalidDataException("The model has no graph.");
        return new OnnxGraph(proto, graph.Message);
    }

    /// <summary>Whether some node carries a graph (If, Loop, Scan): its nodes may read values of this one, unseen here.</summary>
    public bool HasSubgraphs => Nodes.Any(n => n.Attributes.Any(a => a.First(OnnxNode.AttributeGraph) is not null || a.First(OnnxNode.AttributeGraphs) is not null));

    /// <summary>How many node inputs and graph outputs read each value.</summary>
    public Dictionary<string, int> Readers()
    {
        var readers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Nodes.SelectMany(n => n.Inputs).Concat(Outputs).Where(n => n.Length > 0))
        {
            CollectionsMarshal.GetValueRefOrAddDefault(readers, name, out _)++;
        }

        return readers;
    }

    /// <summary>
    /// The FP32 constant called <paramref name="name"/> (a Constant node's tensor or scalar, or an initializer that is not
    /// also a graph input), with its shape; null for anything else (computed, another type, data stored outside the model).
    /// </summary>
    public (float[] Values, long[] Dims)? Constant(string name) => Stored(name) switch
    {
        (ProtoMessage tensor, _) => OnnxTensor.Floats(tensor),
        (_, float scalar) => ([scalar], []),
        _ => null,
    };

    /// <summary>The FP32 constant <paramref name="name"/> where it holds one value; its shape is checked before anything is read.</summary>
    public float? Scalar(string name) => Stored(name) switch
    {
        (ProtoMessage tensor, _) => OnnxTensor.Count(tensor) == 1 && OnnxTensor.Floats(tensor) is { } one ? one.Values[0] : null,
        (_, float scalar) => scalar,
        _ => null,
    };

    /// <summary>Replaces the FP32 constant <paramref name="name"/> (one <see cref="Constant"/> found) with <paramref name="values"/>, same shape.</summary>
    public void SetConstant(string name, float[] values, long[] dims)
    {
        var tensor = OnnxTensor.OfFloats(name, dims, values);
        if (ConstantNode(name) is { } node)
        {
            node.SetAttribute(OnnxNode.TensorAttribute("value", tensor));
            return;
        }

        var initializer = Initializer(name) ?? throw new InvalidOperationException($"'{name}' is not a constant.");
        _graph.Fields[_graph.Fields.IndexOf(initializer)] = ProtoField.OfMessage(GraphInitializer, tensor);
    }

    /// <summary>The model with <see cref="Nodes"/> as they are now, in their order.</summary>
    public byte[] ToArray()
    {
        var at = _graph.Fields.FindIndex(f => f.Number == GraphNode);
        _graph.Fields.RemoveAll(f => f.Number == GraphNode);
        _graph.Fields.InsertRange(at < 0 ? 0 : at, Nodes.Select(n => ProtoField.OfMessage(GraphNode, n.ToProto())));
        return _model.ToArray();
    }

    // Where the constant `name` is kept: a tensor (a Constant node's value, or an initializer), or a Constant node's
    // value_float; neither for anything else.
    private (ProtoMessage? Tensor, float? Scalar) Stored(string name)
    {
        if (ConstantNode(name) is { } node)
        {
            return node.Attribute("value")?.First(OnnxNode.AttributeTensor) is { } tensor
                ? (tensor.Message, null)
                : (null, node.Attribute("value_float")?.First(OnnxNode.AttributeFloat)?.AsFloat());
        }

        return (Initializer(name)?.Message, null);
    }

    private OnnxNode? ConstantNode(string name) =>
        Inputs.Contains(name) ? null : Nodes.Find(n => n.OpType == "Constant" && n.Domain.Length == 0 && n.Outputs.Count == 1 && n.Outputs[0] == name);

    private ProtoField? Initializer(string name) =>
        Inputs.Contains(name) ? null : _graph.All(GraphInitializer).FirstOrDefault(f => f.Message.First(OnnxTensor.Name)?.AsString() == name);
}

/// <summary>One node of an <see cref="OnnxGraph"/>: op type, inputs and outputs editable; its attributes as read.</summary>
internal sealed class OnnxNode
{
    internal const int AttributeFloat = 2;
    internal const int AttributeInt = 3;
    internal const int AttributeTensor = 5;
    internal const int AttributeGraph = 6;
    internal const int AttributeInts = 8;
    internal const int AttributeGraphs = 11;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int NodeDomain = 7;
    private const int AttributeName = 1;
    private const int AttributeType = 20;

    private readonly ProtoMessage _proto;

    public OnnxNode(ProtoMessage proto)
    {
        _proto = proto;
        Inputs = proto.Strings(NodeInput);
        Outputs = proto.Strings(NodeOutput);
        OpType = proto.First(NodeOpType)?.AsString() ?? string.Empty;
        Domain = proto.First(NodeDomain)?.AsString() ?? string.Empty;
        Name = proto.First(NodeName)?.AsString() ?? string.Empty;
    }

    public List<string> Inputs { get; }

    public List<string> Outputs { get; }

    public string OpType { get; }

    /// <summary>The operator set's domain; empty for ONNX's own operators.</summary>
    public string Domain { get; }

    public string Name { get; }

    public IEnumerable<ProtoMessage> Attributes => _proto.All(NodeAttribute).Select(f => f.Message);

    /// <summary>An ONNX Conv with data and weights and one output.</summary>
    public bool IsConv => OpType == "Conv" && Domain.Length == 0 && Inputs.Count >= 2 && Outputs.Count == 1;

    /// <summary>A new node of ONNX's own domain.</summary>
    public static OnnxNode Create(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params ProtoMessage[] attributes) =>
        Create(string.Empty, opType, name, inputs, outputs, attributes);

    /// <summary>A new node of the operator set <paramref name="domain"/> (empty: ONNX's own).</summary>
    public static OnnxNode Create(string domain, string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params ProtoMessage[] attributes)
    {
        var proto = new ProtoMessage();
        proto.Fields.AddRange(inputs.Select(i => ProtoField.OfString(NodeInput, i)));
        proto.Fields.AddRange(outputs.Select(o => ProtoField.OfString(NodeOutput, o)));
        proto.Fields.Add(ProtoField.OfString(NodeName, name));
        proto.Fields.Add(ProtoField.OfString(NodeOpType, opType));
        proto.Fields.AddRange(attributes.Select(a => ProtoField.OfMessage(NodeAttribute, a)));
        if (domain.Length > 0)
        {
            proto.Fields.Add(ProtoField.OfString(NodeDomain, domain));
        }

        return new OnnxNode(proto);
    }

    public static ProtoMessage IntAttribute(string name, long value) =>
        Attribute(name, 2, ProtoField.OfVarint(AttributeInt, value));

    public static ProtoMessage FloatAttribute(string name, float value) =>
        Attribute(name, 1, ProtoField.OfFloat(AttributeFloat, value));

    public static ProtoMessage TensorAttribute(string name, ProtoMessage tensor) =>
        Attribute(name, 4, ProtoField.OfMessage(AttributeTensor, tensor));

    public ProtoMessage? Attribute(string name) => Attributes.FirstOrDefault(a => a.First(AttributeName)?.AsString() == name);

    public float? Float(string name) => Attribute(name)?.First(AttributeFloat)?.AsFloat();

    public long? Int(string name) => Attribute(name)?.First(AttributeInt) is { } i ? unchecked((long)i.Value) : null;

    public List<long>? Ints(string name) => Attribute(name) is { } a ? a.Int64s(AttributeInts) : null;

    /// <summary>Removes the attribute <paramref name="name"/>, if the node has it.</summary>
    public void RemoveAttribute(string name) =>
        _proto.Fields.RemoveAll(f => f.Number == NodeAttribute && f.Message.First(AttributeName)?.AsString() == name);

    /// <summary>Sets an attribute, in place of one of the same name.</summary>
    public void SetAttribute(ProtoMessage attribute)
    {
        var name = attribute.First(AttributeName)?.AsString();
        var at = _proto.Fields.FindIndex(f => f.Number == NodeAttribute && f.Message.First(AttributeName)?.AsString() == name);
        var field = ProtoField.OfMessage(NodeAttribute, attribute);
        if (at < 0)
        {
            _proto.Fields.Add(field);
        }
        else
        {
            _proto.Fields[at] = field;
        }
    }

    /// <summary>The node with its inputs and outputs as they are now.</summary>
    public ProtoMessage ToProto()
    {
        _proto.SetStrings(NodeInput, Inputs);
        _proto.SetStrings(NodeOutput, Outputs);
        return _proto;
    }

    private static ProtoMessage Attribute(string name, int type, ProtoField value)
    {
        var attribute = new ProtoMessage();
        attribute.Fields.Add(ProtoField.OfString(AttributeName, name));
        attribute.Fields.Add(value);
        attribute.Fields.Add(ProtoField.OfVarint(AttributeType, type));
        return attribute;
    }
}

/// <summary>FP32 tensors (<c>onnx.proto</c>'s TensorProto) read and written.</summary>
internal static class OnnxTensor
{
    internal const int Name = 8;
    private const int Dims = 1;
    private const int DataType = 2;
    private const int FloatData = 4;
    private const int RawData = 9;
    private const int DataLocation = 14;
    private const int Float = 1;
    private const int UInt8 = 2;
    private const int Int8 = 3;
    private const int Int32 = 6;
    private const int Int64 = 7;

    /// <summary>TensorProto.FLOAT, the element type of FP32 values.</summary>
    internal const int FloatType = Float;

    /// <summary>The number of elements its shape gives a tensor.</summary>
    public static long Count(ProtoMessage tensor) => tensor.Int64s(Dims).Aggregate(1L, (product, d) => product * d);

    /// <summary>The values and shape of an FP32 tensor stored in the model; null for another type or data stored outside it.</summary>
    public static (float[] Values, long[] Dims)? Floats(ProtoMessage tensor)
    {
        if ((tensor.First(DataType)?.Value ?? 0) != Float || (tensor.First(DataLocation)?.Value ?? 0) != 0)
        {
            return null;
        }

        var dims = tensor.Int64s(Dims).ToArray();
        float[] values;
        if (tensor.First(RawData) is { } raw)
        {
            values = MemoryMarshal.Cast<byte, float>(raw.Bytes.Span).ToArray();
        }
        else
        {
            var list = new List<float>();
            foreach (var field in tensor.All(FloatData))
            {
                if (field.Type == WireType.Fixed32)
                {
                    list.Add(field.AsFloat());
                }
                else
                {
                    list.AddRange(MemoryMarshal.Cast<byte, float>(field.Bytes.Span).ToArray());
                }
            }

            values = [.. list];
        }

        return values.Length == Count(tensor) && BitConverter.IsLittleEndian ? (values, dims) : null;
    }

    /// <summary>An FP32 tensor of <paramref name="dims"/> holding <paramref name="values"/> (raw, little-endian).</summary>
    public static ProtoMessage OfFloats(string name, long[] dims, float[] values) =>
        Raw(name, dims, Float, MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>An INT8 tensor.</summary>
    public static ProtoMessage OfInt8s(string name, long[] dims, sbyte[] values) => Raw(name, dims, Int8, MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>A UINT8 tensor.</summary>
    public static ProtoMessage OfUInt8s(string name, long[] dims, byte[] values) => Raw(name, dims, UInt8, values);

    /// <summary>An INT32 tensor.</summary>
    public static ProtoMessage OfInt32s(string name, long[] dims, int[] values) => Raw(name, dims, Int32, MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>An INT64 tensor.</summary>
    public static ProtoMessage OfInt64s(string name, long[] dims, long[] values) => Raw(name, dims, Int64, MemoryMarshal.AsBytes(values.AsSpan()));

    private static ProtoMessage Raw(string name, long[] dims, int dataType, ReadOnlySpan<byte> littleEndian)
    {
        var tensor = new ProtoMessage();
        tensor.Fields.AddRange(dims.Select(d => ProtoField.OfVarint(Dims, d)));
        tensor.Fields.Add(ProtoField.OfVarint(DataType, dataType));
        tensor.Fields.Add(ProtoField.OfString(Name, name));
        tensor.Fields.Add(ProtoField.OfBytes(RawData, littleEndian.ToArray()));
        return tensor;
    }
}
