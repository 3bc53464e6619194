using System.Text;

// Cold-start floor: one POST of a small JSON body to the URL given, then exit. The answer's status does not matter
// (the bench points it at DynamoDB Local, which refuses an unsigned request): the round trip is what is timed.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SmallPay.Bench.Floor.RawPost <url>");
    return 2;
}
using var http = new HttpClient();
using var body = new StringContent("{\"TableName\":\"floor\"}", Encoding.UTF8, "application/json");
using var response = await http.PostAsync(args[0], body);
Console.WriteLine((int)response.StatusCode);
return 0;
