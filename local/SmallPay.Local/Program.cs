using SmallPay.Local.Commands;
using SmallPay.Local.Invoke;

// SmallPay.Local [serve] | token | invoke | dlq — see ServeCommand.Usage.
if (args.Length > 0 && args[0] == "invoke") return await InvokeCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "token") return await TokenCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "dlq") return await DeadLetterCommand.RunAsync(args[1..]);
return await ServeCommand.RunAsync(args.Length > 0 && args[0] == "serve" ? args[1..] : args);
