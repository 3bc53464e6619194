namespace SmallPay.Functions.Hosting.Runtime;

/// <summary>SMALLPAY_FUNCTION is missing or names no function: the execution environment cannot initialise.</summary>
public sealed class UnknownFunctionException(string message) : Exception(message);
