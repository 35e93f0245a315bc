using System.Net.Http.Json;

namespace SweepRunner.Web.Tests.Support;

public static class JsonBody
{
    public static HttpContent Of<T>(T value) => JsonContent.Create(value);
}
