using SmallPay.Domain.Invoices;
using SmallPay.Domain.Tests.Builders;
using SmallPay.Domain.Validation;

namespace SmallPay.Domain.Tests.Invoices;

public class InvoiceRulesTests
{
    private static InvoiceContent Valid() =>
        new InvoiceBuilder().WithLine(2m, 50m, 0m, 19m).WithLine(1m, 10m, 0m, 7m).WithNotes("Thanks").Content();

    private static InvoiceContent WithFirstLine(InvoiceContent c, Func<InvoiceLine, InvoiceLine> change) =>
        c with { Lines = [change(c.Lines[0]), .. c.Lines.Skip(1)] };

    private static InvoiceContent WithLines(InvoiceContent c, int count) =>
        c with { Lines = [.. Enumerable.Repeat(c.Lines[0], count)] };

    /// <summary>Bad input by name: the change to a valid invoice, and exactly the field paths it must report.</summary>
    private static readonly Dictionary<string, (Func<InvoiceContent, InvoiceContent> Change, string[] Paths)> BadInput = new()
    {
        ["negative quantity"] = (c => WithFirstLine(c, l => l with { Quantity = -1m }), ["lines/0/quantity"]),
        ["zero quantity"] = (c => WithFirstLine(c, l => l with { Quantity = 0m }), ["lines/0/quantity"]),
        ["quantity with 5 decimals"] = (c => WithFirstLine(c, l => l with { Quantity = 1.00001m }), ["lines/0/quantity"]),
        ["quantity above the maximum"] = (c => WithFirstLine(c, l => l with { Quantity = 1_000_000.0001m }), ["lines/0/quantity"]),
        ["negative unit price"] = (c => WithFirstLine(c, l => l with { UnitPrice = -0.01m }), ["lines/0/unitPrice"]),
        ["unit price above the maximum"] = (c => WithFirstLine(c, l => l with { UnitPrice = 1_000_000_000.0001m }), ["lines/0/unitPrice"]),
        ["unit price with 5 decimals"] = (c => WithFirstLine(c, l => l with { UnitPrice = 0.00001m }), ["lines/0/unitPrice"]),
        ["line discount above 100 percent"] = (c => WithFirstLine(c, l => l with { DiscountPercent = 100.001m }), ["lines/0/discountPercent"]),
        ["negative line discount"] = (c => WithFirstLine(c, l => l with { DiscountPercent = -1m }), ["lines/0/discountPercent"]),
        ["tax rate above 100 percent"] = (c => WithFirstLine(c, l => l with { TaxRatePercent = 101m }), ["lines/0/taxRatePercent"]),
        ["tax rate with 4 decimals"] = (c => WithFirstLine(c, l => l with { TaxRatePercent = 8.8751m }), ["lines/0/taxRatePercent"]),
        ["bad second line"] = (c => c with { Lines = [c.Lines[0], c.Lines[1] with { Quantity = 0m }] }, ["lines/1/quantity"]),
        ["blank description"] = (c => WithFirstLine(c, l => l with { Description = "   " }), ["lines/0/description"]),
        ["overlong description"] = (c => WithFirstLine(c, l => l with { Description = new string('d', 501) }), ["lines/0/description"]),
        ["too many lines"] = (c => WithLines(c, 301), ["lines"]),
        ["overlong notes"] = (c => c with { Notes = new string('n', 2001) }, ["notes"]),
        ["unknown currency"] = (c => c with { Currency = "XYZ" }, ["currency"]),
        ["lowercase currency"] = (c => c with { Currency = "eur" }, ["currency"]),
        ["empty currency"] = (c => c with { Currency = "" }, ["currency"]),
        ["issue date before 2000"] = (c => c with { IssueDate = new DateOnly(1999, 12, 31), DueDate = new DateOnly(2000, 1, 31) }, ["issueDate"]),
        ["issue date after 2100"] = (c => c with { IssueDate = new DateOnly(2101, 1, 1), PaymentTermsDays = null }, ["issueDate"]),
        ["due date after 2100"] = (c => c with { DueDate = new DateOnly(2101, 1, 1) }, ["dueDate"]),
        ["due date before issue date"] = (c => c with { DueDate = c.IssueDate.AddDays(-1) }, ["dueDate"]),
        ["negative payment terms"] = (c => c with { PaymentTermsDays = -1 }, ["paymentTermsDays"]),
        ["payment terms over a year"] = (c => c with { PaymentTermsDays = 366 }, ["paymentTermsDays"]),
        ["invoice discount above 100 percent"] = (c => c with { Discount = new InvoiceDiscount(DiscountKind.Percent, 100.5m) }, ["discount/value"]),
        ["negative invoice discount percent"] = (c => c with { Discount = new InvoiceDiscount(DiscountKind.Percent, -1m) }, ["discount/value"]),
        ["negative amount discount"] = (c => c with { Discount = new InvoiceDiscount(DiscountKind.Amount, -1m) }, ["discount/value"]),
        ["amount discount with too many decimals for EUR"] = (c => c with { Discount = new InvoiceDiscount(DiscountKind.Amount, 1.001m) }, ["discount/value"]),
        ["amount discount with decimals in JPY"] = (c => c with { Currency = "JPY", Discount = new InvoiceDiscount(DiscountKind.Amount, 0.5m) }, ["discount/value"]),
        ["amount discount above the subtotal"] = (c => c with { Discount = new InvoiceDiscount(DiscountKind.Amount, 110.01m) }, ["discount/value"]),
        ["several problems at once"] = (c => WithFirstLine(c with { Currency = "eur", Notes = new string('n', 2001) }, l => l with { Quantity = 0m, TaxRatePercent = -5m }),
            ["currency", "lines/0/quantity", "lines/0/taxRatePercent", "notes"]),
    };

    public static TheoryData<string> BadInputNames() => [.. BadInput.Keys];

    [Theory]
    [MemberData(nameof(BadInputNames))]
    public void Bad_input_is_reported_on_exactly_its_field_paths(string name)
    {
        var (change, paths) = BadInput[name];

        var error = Assert.Throws<DomainValidationException>(() => InvoiceRules.Validate(change(Valid())));

        Assert.Equal(paths.Order(StringComparer.Ordinal), error.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    private static readonly Dictionary<string, Func<InvoiceContent, InvoiceContent>> EdgesThatAreValid = new()
    {
        ["the defaults"] = c => c,
        ["quantity at the maximum"] = c => WithFirstLine(c, l => l with { Quantity = 1_000_000m }),
        ["quantity with 4 decimals"] = c => WithFirstLine(c, l => l with { Quantity = 0.0001m }),
        ["quantity with trailing zeros beyond 4 decimals"] = c => WithFirstLine(c, l => l with { Quantity = 1.500000m }),
        ["unit price at the maximum"] = c => WithFirstLine(c, l => l with { UnitPrice = 1_000_000_000m }),
        ["free line"] = c => WithFirstLine(c, l => l with { UnitPrice = 0m }),
        ["fully discounted line"] = c => WithFirstLine(c, l => l with { DiscountPercent = 100m }),
        ["tax rate with 3 decimals"] = c => WithFirstLine(c, l => l with { TaxRatePercent = 8.875m }),
        ["exactly 300 lines"] = c => WithLines(c, 300),
        ["no lines (a draft may be empty)"] = c => c with { Lines = [] },
        ["500-character description"] = c => WithFirstLine(c, l => l with { Description = new string('d', 500) }),
        ["2000-character notes"] = c => c with { Notes = new string('n', 2000) },
        ["no notes"] = c => c with { Notes = null },
        ["first allowed date"] = c => c with { IssueDate = new DateOnly(2000, 1, 1), DueDate = null, PaymentTermsDays = 0 },
        ["last allowed date"] = c => c with { IssueDate = new DateOnly(2100, 12, 31), DueDate = new DateOnly(2100, 12, 31) },
        ["due on the issue date"] = c => c with { DueDate = c.IssueDate },
        ["payment terms of a year"] = c => c with { PaymentTermsDays = 365 },
        ["100 percent invoice discount"] = c => c with { Discount = new InvoiceDiscount(DiscountKind.Percent, 100m) },
        ["amount discount equal to the subtotal"] = c => c with { Discount = new InvoiceDiscount(DiscountKind.Amount, 110.00m) },
        ["three-digit currency amount discount"] = c => c with { Currency = "KWD", Discount = new InvoiceDiscount(DiscountKind.Amount, 1.234m) },
    };

    public static TheoryData<string> ValidEdgeNames() => [.. EdgesThatAreValid.Keys];

    [Theory]
    [MemberData(nameof(ValidEdgeNames))]
    public void Input_at_the_limits_is_accepted(string name)
    {
        var content = EdgesThatAreValid[name](Valid());

        var thrown = Record.Exception(() => InvoiceRules.Validate(content));

        Assert.Null(thrown);
    }

    [Fact]
    public void Unknown_currency_with_an_amount_discount_reports_the_currency_without_crashing()
    {
        var content = Valid() with { Currency = "ZZZ", Discount = new InvoiceDiscount(DiscountKind.Amount, 1_000_000m) };

        var error = Assert.Throws<DomainValidationException>(() => InvoiceRules.Validate(content));

        Assert.Equal(["currency"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Only_the_first_300_lines_are_checked_when_there_are_too_many()
    {
        var content = Valid();
        var bad = content.Lines[0] with { Quantity = 0m };
        content = content with { Lines = [.. Enumerable.Repeat(content.Lines[0], 300), bad] };

        var error = Assert.Throws<DomainValidationException>(() => InvoiceRules.Validate(content));

        Assert.Equal(["lines"], error.Errors.Select(e => e.Path));
    }
}
