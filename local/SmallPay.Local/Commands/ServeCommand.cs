using Microsoft.Extensions.Logging;

namespace SmallPay.Local.Commands;

/// <summary><c>SmallPay.Local [serve]</c>: the whole stack on this machine until Ctrl-C.</summary>
internal static class ServeCommand
{
    public const string Usage = """
        SmallPay.Local [serve] [options]    the local stack: moto, template.yaml's resources, the HTTP API, the app
          --port N             HTTP port of the API, app and /config.json (default 3000)
          --aws-port N         port of the moto server started for this run (default 5010)
          --aws-endpoint URL   use an AWS emulator that is already running instead of starting moto
          --dynamodb-port N    port of the DynamoDB Local server started for this run (default 8000)
          --dynamodb-endpoint URL  use a DynamoDB Local that is already running
          --smtp-port N        SMTP port of the mail sink the functions send to (default 1025)
          --mail-web-port N    port of the mail sink's web page (default 1080)
          --template PATH      template.yaml (default: the one next to SmallPay.sln)
          --no-demo            no demo account, no sample data
          --demo-email E       demo account (default demo@smallpay.local)
          --demo-password P    its password (default SmallPay-demo-2026)
          --log-json           JSON log lines
          --verbose            debug logging
        SmallPay.Local token [--port N | --api-url URL] [--email E] [--password P] [--access]
                               print an ID token (or access token) of the demo account, for curl
        SmallPay.Local invoke FunctionLogicalId -e events/x.json   like sam local invoke
        SmallPay.Local dlq list|redrive [QueueName] [--port N | --api-url URL]
                               the dead-letter queue of the running stack: its failed records, or send them back
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        LocalStackOptions options;
        try
        {
            var line = CommandLine.Parse(args,
                valued: new HashSet<string>
                {
                    "--port", "--aws-port", "--aws-endpoint", "--dynamodb-port", "--dynamodb-endpoint", "--smtp-port", "--mail-web-port",
                    "--template", "--demo-email", "--demo-password",
                },
                flags: new HashSet<string> { "--no-demo", "--log-json", "--verbose", "--help", "-h" });
            if (line.Has("--help") || line.Has("-h"))
            {
                Console.WriteLine(Usage);
                return 0;
            }
            options = new LocalStackOptions
            {
                Port = line.GetInt("--port", 3000),
                AwsPort = line.GetInt("--aws-port", 5010),
                AwsEndpoint = line.GetUri("--aws-endpoint"),
                DynamoDbPort = line.GetInt("--dynamodb-port", LocalEndpoints.DefaultDynamoDbPort),
                DynamoDbEndpoint = line.GetUri("--dynamodb-endpoint"),
                SmtpPort = line.GetInt("--smtp-port", LocalEndpoints.DefaultSmtpPort),
                MailWebPort = line.GetInt("--mail-web-port", LocalEndpoints.DefaultMailWebPort),
                TemplatePath = line.Get("--template"),
                SeedDemo = !line.Has("--no-demo"),
                DemoEmail = line.Get("--demo-email") ?? LocalStackOptions.DefaultDemoEmail,
                DemoPassword = line.Get("--demo-password") ?? LocalStackOptions.DefaultDemoPassword,
                JsonLogs = line.Has("--log-json"),
                MinimumLogLevel = line.Has("--verbose") ? LogLevel.Debug : LogLevel.Information,
            };
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine($"SmallPay.Local: {error.Message}{Environment.NewLine}{Usage}");
            return 2;
        }

        Console.WriteLine(options.AwsEndpoint is null
            ? $"Starting moto on port {options.AwsPort}, DynamoDB Local on port {options.DynamoDbPort}, maildev, and provisioning template.yaml..."
            : $"Using the AWS emulator at {options.AwsEndpoint}, starting maildev, and provisioning template.yaml...");
        LocalStackHost host;
        try
        {
            host = await LocalStackHost.StartAsync(options);
        }
        catch (Exception error) when (error is InvalidOperationException or FileNotFoundException or InvalidDataException
                                          or TimeoutException or IOException or HttpRequestException or Aws.AwsServiceException)
        {
            Console.Error.WriteLine($"SmallPay.Local: could not start: {error.Message}");
            return 1;
        }

        await using (host)
        {
            Console.WriteLine(Banner(host, options));
            await host.WaitForShutdownAsync();
            Console.WriteLine("Stopping (moto, DynamoDB Local and maildev too)...");
        }
        return 0;
    }

    internal static string Banner(LocalStackHost host, LocalStackOptions options)
    {
        var api = host.ApiBaseUrl.ToString();
        var tokenCommand = $"dotnet {Path.GetRelativePath(Directory.GetCurrentDirectory(), typeof(ServeCommand).Assembly.Location)} token"
            + (host.ApiBaseUrl.Port == 3000 ? "" : $" --port {host.ApiBaseUrl.Port}");
        var app = host.SpaRoot is null ? "(frontend/dist not built: a page listing the API)" : "(frontend/dist)";
        var openApi = host.OpenApiAvailable ? $"{Environment.NewLine}  OpenAPI      {api}openapi.yaml" : "";
        var demo = host.Demo is { } account
            ? $"""
                Demo login   {account.Email} / {account.Password}

                Call the API with curl (an ID token of the demo account, valid 1 hour):
                  TOKEN=$({tokenCommand})
                  curl -H "Authorization: Bearer $TOKEN" {api}invoices
              """
            : "  Demo login   none (--no-demo): sign up in the app, or with Cognito's SignUp on moto";
        return $"""

            SmallPay local stack is up (ready in {host.StartupTime.TotalSeconds:0.0} s)

              App          {api}  {app}
              API          {api}  {host.RouteKeys.Count} routes of {Path.GetFileName(host.Template.Path)}, {host.ProtectedRouteCount} behind the JWT authorizer
              config.json  {host.ConfigUrl}{openApi}
              AWS (moto)   {host.AwsEndpoint.ToString().TrimEnd('/')}  Cognito, S3{Buckets(host)}
              DynamoDB     {host.DynamoDbEndpoint.ToString().TrimEnd('/')}  DynamoDB Local: tables {string.Join(", ", host.Resources.Tables.Values)}
              User pool    {UserPool(host)}{MailLine(host)}{PipelineLines(host)}
            {demo}

            One log line per request below. Ctrl-C stops everything (the emulators too).

            """;
    }

    private static string UserPool(LocalStackHost host) =>
        host.Resources.AppClient is { } client ? $"{client.UserPoolId}  app client {client.ClientId}" : "none in the template";

    private static string Buckets(LocalStackHost host) => host.Resources.Buckets.Count switch
    {
        0 => "",
        1 => $" (bucket {host.Resources.Buckets.Values.Single()})",
        _ => $" (buckets {string.Join(", ", host.Resources.Buckets.Values)})",
    };

    private static string MailLine(LocalStackHost host) => host.Mail is not { } mail ? "" : $"""

          Mail         {mail.WebUrl}  maildev: every e-mail the functions send, with attachments
                       SMTP {mail.Smtp}; recipients at *.invalid are refused (550), to try a failed delivery
        """;

    private static string PipelineLines(LocalStackHost host)
    {
        if (host.Pipeline is not { } pipeline || pipeline.Pipes.Count == 0) return "";
        var lines = new System.Text.StringBuilder();
        foreach (var pipe in pipeline.Pipes)
        {
            var consumers = pipeline.Consumers.Where(consumer => consumer.Source.QueueName == pipe.Target.Name).Select(consumer => consumer.Source.FunctionLogicalId).ToList();
            lines.Append(Environment.NewLine).Append($"  Pipeline     {pipe.SourceTable} stream → {pipe.Name} (filter) → {pipe.Target.Name} → ")
                .Append(consumers.Count == 0 ? "(no consumer)" : string.Join(", ", consumers));
            if (pipe.Target.DeadLetterQueue is { } deadLetterQueue)
                lines.Append(Environment.NewLine)
                    .Append($"               dead letters after {pipe.Target.MaxReceiveCount} receives: {deadLetterQueue.Name} (SmallPay.Local dlq list | redrive)");
            if (pipe.DeadLetterQueue is { } pipeDeadLetters)
                lines.Append(Environment.NewLine)
                    .Append($"               records the queue refuses, after {pipe.Settings.MaximumRetryAttempts} retries: {pipeDeadLetters.Name} (dlq list)");
        }
        return lines.ToString();
    }
}
