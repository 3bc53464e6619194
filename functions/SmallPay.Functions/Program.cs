using SmallPay.Functions.Hosting;

// Entry point of every SmallPay Lambda function (Handler = this assembly's name in template.yaml).
return await LambdaEntryPoint.RunAsync(Environment.GetEnvironmentVariable);
