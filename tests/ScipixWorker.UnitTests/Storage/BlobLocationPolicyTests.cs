using ScipixWorker.Contracts;
using ScipixWorker.Jobs;
using ScipixWorker.Storage;

namespace ScipixWorker.UnitTests.Storage;

public sealed class BlobLocationPolicyTests
{
    private static readonly BlobLocationPolicy Azurite = new(new Uri("http://127.0.0.1:10000/devstoreaccount1"), "devstoreaccount1", ["images"]);
    private static readonly BlobLocationPolicy Azure = new(new Uri("https://scipix.blob.core.windows.net/"), "scipix", ["images"]);

    [Fact]
    public void A_name_in_an_allowed_container_resolves()
    {
        Assert.Equal(new BlobReference("images", "a/b.png"), Azurite.Resolve(new ImageLocation("images", "a/b.png")));
    }

    [Fact]
    public void A_container_that_is_not_allowed_is_access_denied()
    {
        AssertFails(RecognitionErrorCodes.AccessDenied, () => Azurite.Resolve(new ImageLocation("secrets", "a.png")));
    }

    [Fact]
    public void A_uri_on_the_configured_account_resolves()
    {
        Assert.Equal(new BlobReference("images", "a/b.png"), Azurite.Resolve(new ImageLocation(Uri: new Uri("http://127.0.0.1:10000/devstoreaccount1/images/a/b.png"))));
        Assert.Equal(new BlobReference("images", "b.png"), Azure.Resolve(new ImageLocation(Uri: new Uri("https://SCIPIX.blob.core.windows.net/images/b.png?sv=x"))));
    }

    [Theory]
    [InlineData("https://evil.blob.core.windows.net/images/b.png")]
    [InlineData("http://scipix.blob.core.windows.net/images/b.png")]
    [InlineData("https://scipix.blob.core.windows.net:8443/images/b.png")]
    public void A_uri_on_another_account_host_scheme_or_port_is_access_denied(string uri)
    {
        AssertFails(RecognitionErrorCodes.AccessDenied, () => Azure.Resolve(new ImageLocation(Uri: new Uri(uri))));
    }

    [Fact]
    public void A_path_style_uri_naming_another_account_on_the_same_host_is_access_denied()
    {
        AssertFails(RecognitionErrorCodes.AccessDenied, () => Azurite.Resolve(new ImageLocation(Uri: new Uri("http://127.0.0.1:10000/otheraccount/images/a.png"))));
    }

    [Fact]
    public void A_uri_to_a_disallowed_container_on_the_account_is_access_denied()
    {
        AssertFails(RecognitionErrorCodes.AccessDenied, () => Azurite.Resolve(new ImageLocation(Uri: new Uri("http://127.0.0.1:10000/devstoreaccount1/secrets/a.png"))));
    }

    [Fact]
    public void A_uri_naming_only_a_container_is_image_not_found()
    {
        AssertFails(RecognitionErrorCodes.ImageNotFound, () => Azurite.Resolve(new ImageLocation(Uri: new Uri("http://127.0.0.1:10000/devstoreaccount1/images"))));
    }

    private static void AssertFails(string code, Action action)
    {
        var exception = Assert.Throws<JobFailedException>(action);
        Assert.Equal(code, exception.Failure.Code);
        Assert.False(exception.Failure.Retryable);
    }
}
