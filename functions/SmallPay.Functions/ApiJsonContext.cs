using SmallPay.Functions.Reminders;
using System.Text.Json.Serialization;
using SmallPay.Domain.Dashboard;
using SmallPay.Functions.CreditNotes;
using SmallPay.Functions.Customers;
using SmallPay.Functions.Documents;
using SmallPay.Functions.Invoices;
using SmallPay.Functions.Payments;
using SmallPay.Functions.Quotes;
using SmallPay.Functions.Recurring;
using SmallPay.Functions.Settings;
using SmallPay.Functions.Team;
using SmallPay.Functions.Webhooks;

namespace SmallPay.Functions;

/// <summary>Every request body of the API, read by source-generated code (no reflection at start-up).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    PropertyNameCaseInsensitive = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(InvoiceInput))]
[JsonSerializable(typeof(VoidInput))]
[JsonSerializable(typeof(PaymentInput))]
[JsonSerializable(typeof(CustomerInput))]
[JsonSerializable(typeof(CustomerImportInput))]
[JsonSerializable(typeof(SettingsInput))]
[JsonSerializable(typeof(SendInvoiceInput))]
[JsonSerializable(typeof(InvoiceRemindersInput))]
[JsonSerializable(typeof(InvitationInput))]
[JsonSerializable(typeof(RoleInput))]
[JsonSerializable(typeof(AcceptInvitationInput))]
[JsonSerializable(typeof(EmailVerificationInput))]
[JsonSerializable(typeof(RecurringProfileInput))]
[JsonSerializable(typeof(QuoteInput))]
[JsonSerializable(typeof(WebhookInput))]

[JsonSerializable(typeof(CreditNoteInput))]
[JsonSerializable(typeof(RefundInput))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>
/// Every response body of the API, written by the source generator's fast path (GenerationMode Serialization): a
/// generated method writes each view with Utf8JsonWriter, so no property metadata is built or JIT-compiled at a cold
/// start (about a hundred methods for an invoice). Same options as <see cref="ApiJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    MaxDepth = 16)]
[JsonSerializable(typeof(InvoiceView))]
[JsonSerializable(typeof(InvoiceListView))]
[JsonSerializable(typeof(CustomerView))]
[JsonSerializable(typeof(CustomerListView))]
[JsonSerializable(typeof(SettingsView))]
[JsonSerializable(typeof(Dashboard.DashboardView))]
[JsonSerializable(typeof(DocumentLinkView))]
[JsonSerializable(typeof(SmallPay.Functions.Exports.ExportLinkView))]
[JsonSerializable(typeof(CustomerImportReport))]
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(TeamView))]
[JsonSerializable(typeof(InvitationView))]
[JsonSerializable(typeof(MemberView))]
[JsonSerializable(typeof(BusinessView))]
[JsonSerializable(typeof(EmailVerificationView))]
[JsonSerializable(typeof(RecurringProfileView))]
[JsonSerializable(typeof(RecurringProfileListView))]
[JsonSerializable(typeof(QuoteView))]
[JsonSerializable(typeof(QuoteListView))]
[JsonSerializable(typeof(CreditNoteView))]
[JsonSerializable(typeof(CreditNoteListView))]
[JsonSerializable(typeof(RecurringRunReport))]
[JsonSerializable(typeof(ReminderRunReport))]
[JsonSerializable(typeof(WebhookView))]
[JsonSerializable(typeof(WebhookListView))]
[JsonSerializable(typeof(WebhookDeliveryView))]
[JsonSerializable(typeof(WebhookDeliveryListView))]
[JsonSerializable(typeof(WebhookRetryReport))]
[JsonSerializable(typeof(SmallPay.Functions.Changes.ActivityListView))]
public sealed partial class ApiViewJsonContext : JsonSerializerContext;
