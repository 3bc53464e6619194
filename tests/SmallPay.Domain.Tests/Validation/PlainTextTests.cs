using SmallPay.Domain.Customers;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Domain.Settings;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Validation;

/// <summary>Bidirectional controls (U+202A–U+202E, U+2066–U+2069) never reach what the domain keeps.</summary>
public sealed class PlainTextTests
{
    private const string Controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";

    private static void AssertClean(string? text) =>
        Assert.True(text is null || !text.Any(PlainText.IsBidiControl), $"bidirectional control left in \"{text}\"");

    [Fact]
    public void Every_embedding_override_and_isolate_control_is_removed_and_nothing_else()
    {
        Assert.Equal("Invoicefdp.exe", PlainText.WithoutBidiControls("Invoice\u202Efdp.exe"));
        Assert.Equal("", PlainText.WithoutBidiControls(Controls));
        // Marks that change no order around them, Arabic and Hebrew themselves, zero-width joiners: kept.
        const string kept = "שלום \u200F مرحبا \u200E Müller \u200D 🧾";
        Assert.Same(kept, PlainText.WithoutBidiControls(kept));
        Assert.All(Controls, c => Assert.True(PlainText.IsBidiControl(c)));
        Assert.False(PlainText.IsBidiControl('\u2029'));
        Assert.False(PlainText.IsBidiControl('\u206A'));
    }

    [Fact]
    public void Clean_trims_and_gives_null_when_nothing_is_left()
    {
        Assert.Equal("Acme", PlainText.Clean(" \u202EAcme\u2069 "));
        Assert.Null(PlainText.Clean($" {Controls} "));
        Assert.Null(PlainText.Clean(null));
        Assert.Equal("", PlainText.CleanRequired("\u202E"));
    }

    [Fact]
    public void Invoice_descriptions_and_notes_are_kept_without_them()
    {
        var content = new InvoiceContent("cus_1", "EUR", new DateOnly(2026, 11, 2), null, 14,
            [new InvoiceLine("Design\u202B work\u202C", 1m, 10m, 0m, 19m)], InvoiceDiscount.None, "Thanks\u2068!\u2069");

        var normalized = InvoiceRules.Normalize(content);

        Assert.Equal("Design work", normalized.Lines[0].Description);
        Assert.Equal("Thanks!", normalized.Notes);
        Assert.Null(InvoiceRules.Normalize(content with { Notes = "\u202E " }).Notes);
    }

    [Fact]
    public void Customer_and_business_names_addresses_phone_and_tax_id_are_kept_without_them()
    {
        var address = new PostalAddress("Hauptstra\u202Eße 5", "\u2066", "Berlin", null, "10115", "DE\u2069");
        var customer = CustomerRules.Normalize(new CustomerDetails("Evil\u202Egnp.exe Ltd", " a@b.example ", "+49\u2067 30", address, "DE\u202D1"));
        var business = BusinessSettings.Normalize(new BusinessSettings { BusinessName = "Atelier\u202E Sommer", Address = address, Phone = "\u202A", TaxId = "DE 9\u2066" });

        Assert.Equal(new CustomerDetails("Evilgnp.exe Ltd", "a@b.example", "+49 30", new PostalAddress("Hauptstraße 5", null, "Berlin", null, "10115", "DE"), "DE1"), customer);
        Assert.Equal(("Atelier Sommer", null, "DE 9"), (business.BusinessName, business.Phone, business.TaxId));
        Assert.Equal(customer.Address, business.Address);
        Assert.Null(CustomerRules.Normalize(new PostalAddress("\u202E", null, null, null, null, null)));
        var nameless = Assert.Throws<DomainValidationException>(() => CustomerRules.Validate(CustomerRules.Normalize(customer with { Name = "\u202E\u2066" })));
        Assert.Contains(nameless.Errors, e => e.Path == "name");
    }

    [Fact]
    public void Delivery_subjects_and_messages_and_void_reasons_are_kept_without_them()
    {
        var invoice = InvoiceLifecycle.Finalize(
            InvoiceLifecycle.CreateDraft("inv_1", "tenant", new InvoiceContent("cus_1", "EUR", new DateOnly(2026, 11, 2), null, 14,
                [new InvoiceLine("Work", 1m, 10m, 0m, 19m)], InvoiceDiscount.None, null),
                new CustomerSnapshot("Müller GmbH", "billing@mueller.example", null, null), DateTimeOffset.UnixEpoch),
            "INV-000001", new CustomerSnapshot("Müller GmbH", "billing@mueller.example", null, null), DateTimeOffset.UnixEpoch);

        var sent = InvoiceDeliveries.Request(invoice, new DeliveryInput(Subject: "Your invoice\u202E fdp.exe", Message: "Hello\u2067 there"), "dlv_1", "Atelier\u202E", DateTimeOffset.UnixEpoch);
        var defaulted = InvoiceDeliveries.Request(invoice, new DeliveryInput(Subject: "\u202E"), "dlv_2", "Atelier\u202E Sommer", DateTimeOffset.UnixEpoch);
        var voided = InvoiceLifecycle.Void(invoice, "mistake\u202E", DateTimeOffset.UnixEpoch);

        var request = sent.DeliveryRequests.Single();
        Assert.Equal(("Your invoice fdp.exe", "Hello there"), (request.Subject, request.Message));
        Assert.Equal("Invoice INV-000001 from Atelier Sommer", defaulted.DeliveryRequests.Single().Subject);
        Assert.Equal("mistake", voided.VoidReason);
        AssertClean(request.Subject);
    }
}
