using System.Text.Json.Serialization;
using SmallPay.Domain.Dashboard;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Payments;
using SmallPay.Functions.Settings;

namespace SmallPay.Functions;

/// <summary>Every request and response body of the API, serialized by source-generated code (no reflection at start-up).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    PropertyNameCaseInsensitive = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(InvoiceInput))]
[JsonSerializable(typeof(InvoiceView))]
[JsonSerializable(typeof(InvoiceListView))]
[JsonSerializable(typeof(VoidInput))]
[JsonSerializable(typeof(PaymentInput))]
[JsonSerializable(typeof(CustomerInput))]
[JsonSerializable(typeof(CustomerView))]
[JsonSerializable(typeof(CustomerListView))]
[JsonSerializable(typeof(SettingsInput))]
[JsonSerializable(typeof(SettingsView))]
[JsonSerializable(typeof(Dashboard.DashboardView))]
[JsonSerializable(typeof(SendInvoiceInput))]
[JsonSerializable(typeof(DocumentLinkView))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
