using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class JobRepliesTests
{
    // A reply-to address on another virtual host would reach no one: the input queue's host and vhost are kept.
    [Theory]
    [InlineData("rabbitmq://127.0.0.1/recognize-document", "rabbitmq://127.0.0.1/amq.rabbitmq.reply-to")]
    [InlineData("rabbitmq://broker:5673/ocr/recognize-document?prefetch=64", "rabbitmq://broker:5673/ocr/amq.rabbitmq.reply-to")]
    [InlineData("rabbitmqs://broker/tenant%2Fa/it-recognize-1", "rabbitmqs://broker/tenant%2Fa/amq.rabbitmq.reply-to")]
    public void The_reply_to_address_keeps_the_input_queues_host_and_virtual_host(string input, string expected) =>
        Assert.Equal(new Uri(expected), JobReplies.ReplyToAddress(new Uri(input)));
}
