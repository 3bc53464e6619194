using CsvHelper;
using SmallPay.Domain;
using SmallPay.Domain.Customers;
using SmallPay.Domain.Validation;
using SmallPay.Functions.Hosting.Http;
using SmallPay.Functions.Storage;

namespace SmallPay.Functions.Customers;

/// <summary>The body of POST /customers/import and /customers/import/preview: the file's text (the app reads it as UTF-8).</summary>
public sealed class CustomerImportInput
{
    public string? Csv { get; set; }
}

public sealed record ImportFieldErrorView(string Column, string Message);

/// <summary>One data row of the file: what becomes (or became) of it.</summary>
public sealed record CustomerImportRowView(int Row, string Status, string? CustomerId, string? Name, string? Email, string? Reason, IReadOnlyList<ImportFieldErrorView>? Errors);

/// <summary>
/// The report of a preview (<see cref="Preview"/> true: statuses <c>create</c>, <c>skip</c>, <c>invalid</c>) or an import
/// (<c>created</c>, <c>skipped</c>, <c>invalid</c>); <see cref="Create"/> counts the customers that would be / were created.
/// </summary>
public sealed record CustomerImportReport(bool Preview, int Rows, int Create, int Skip, int Invalid, IReadOnlyList<CustomerImportRowView> Items);

/// <summary>
/// Customers from a CSV file (the export's customers file, or a spreadsheet's with the same column names; the separator
/// — comma, semicolon, tab or bar — is detected). Every row is checked with the rules of POST /customers
/// (<see cref="CustomerInput.ToDetails"/>). A row's customer id is derived from the business and its normalised e-mail
/// (without one: its name and tax id), so importing a file again finds the customers it made and creates nothing; the
/// store's one-customer-per-e-mail claim skips rows whose e-mail a customer already has, and a <c>customerId</c> column
/// naming one of the business's customers skips that row too (a customers export imported back).
/// </summary>
public static class CustomerCsvImport
{
    public const int MaxRows = 500;

    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with { HasHeader = true, SkipEmptyLines = true, MalformedData = CsvMalformedDataHandling.Throw };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["customerid"] = "customerId", ["id"] = "customerId",
        ["name"] = "name", ["customername"] = "name", ["customer"] = "name", ["company"] = "name",
        ["email"] = "email", ["emailaddress"] = "email", ["mail"] = "email",
        ["phone"] = "phone", ["telephone"] = "phone",
        ["taxid"] = "taxId", ["vatid"] = "taxId", ["vat"] = "taxId",
        ["language"] = "language",
        ["line1"] = "line1", ["address"] = "line1", ["addressline1"] = "line1", ["street"] = "line1",
        ["line2"] = "line2", ["addressline2"] = "line2",
        ["city"] = "city", ["region"] = "region", ["state"] = "region",
        ["postalcode"] = "postalCode", ["zip"] = "postalCode", ["zipcode"] = "postalCode", ["postcode"] = "postalCode",
        ["country"] = "country",
        ["remindersenabled"] = "remindersEnabled", ["reminders"] = "remindersEnabled",
    };

    /// <summary>A parsed row: its number (1 = the first after the header), the details if valid, else the errors.</summary>
    public sealed record ParsedRow(int Row, string? ListedId, CustomerDetails? Details, string? Name, string? Email, IReadOnlyList<ImportFieldErrorView> Errors);

    /// <summary>Reads the file; a file that cannot be read as a whole (no name column, too many rows, broken quoting) is a 422.</summary>
    public static List<ParsedRow> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Problems.Validation("/csv", "is empty: a header row and at least one customer are needed");
        var rows = new List<ParsedRow>();
        try
        {
            using var reader = CsvReader.FromText(text.TrimStart('\uFEFF'), ReaderOptions);
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            var headers = reader.Headers;
            for (var i = 0; i < headers.Count; i++)
                if (Aliases.TryGetValue(Key(headers[i]), out var column)) columns.TryAdd(column, i);
            if (!columns.ContainsKey("name"))
                throw Problems.Validation("/csv", $"has no name column (the header row has: {string.Join(", ", headers.Take(20))}); the columns are those of the customers export");
            while (reader.Read())
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (column, index) in columns)
                    values[column] = index < reader.FieldCount ? Undefuse(reader.GetString(index)) : null;
                if (values.Values.All(string.IsNullOrWhiteSpace)) continue; // a spreadsheet's trailing ",,,," rows
                if (rows.Count == MaxRows) throw Problems.Validation("/csv", $"has more than {MaxRows} customers; import it in parts of at most {MaxRows} rows");
                rows.Add(Row(rows.Count + 1, values));
            }
        }
        catch (CsvFormatException e)
        {
            throw Problems.Validation("/csv", $"is not a CSV file that can be read: {e.Message}");
        }
        if (rows.Count == 0) throw Problems.Validation("/csv", "has no customers: a header row and at least one customer are needed");
        return rows;
    }

    /// <summary>The customer id a row stands for in <paramref name="tenant"/>: the same file gives the same ids every time.</summary>
    public static string IdFor(string tenant, CustomerDetails details) =>
        Ids.FromSeed("cus", Customer.NormalizeEmail(details.Email) is { } email
            ? $"import#{tenant}#email#{email}"
            : $"import#{tenant}#name#{details.Name.ToLowerInvariant()}#{details.TaxId?.ToLowerInvariant()}");

    private static ParsedRow Row(int number, Dictionary<string, string?> values)
    {
        string? Get(string column) => values.GetValueOrDefault(column) is { Length: > 0 } v ? v : null;
        var errors = new List<ImportFieldErrorView>();
        bool? reminders = Get("remindersEnabled")?.Trim().ToLowerInvariant() switch
        {
            null => null,
            "true" or "yes" or "y" or "1" => true,
            "false" or "no" or "n" or "0" => false,
            _ => null,
        };
        if (Get("remindersEnabled") is not null && reminders is null) errors.Add(new("remindersEnabled", "must be true or false"));
        var hasAddress = new[] { "line1", "line2", "city", "region", "postalCode", "country" }.Any(c => Get(c) is not null);
        var input = new CustomerInput
        {
            Name = Get("name"), Email = Get("email")?.Trim(), Phone = Get("phone"), TaxId = Get("taxId"), Language = Get("language")?.Trim(),
            RemindersEnabled = reminders,
            Address = hasAddress ? new AddressInput { Line1 = Get("line1"), Line2 = Get("line2"), City = Get("city"), Region = Get("region"), PostalCode = Get("postalCode"), Country = Get("country") } : null,
        };
        CustomerDetails? details = null;
        try { details = input.ToDetails(); }
        catch (DomainValidationException e) { errors.AddRange(e.Errors.Select(f => new ImportFieldErrorView(f.Path.Split('/')[^1], f.Message))); }
        return new ParsedRow(number, Get("customerId")?.Trim(), errors.Count == 0 ? details : null, input.Name, input.Email, errors);
    }

    private static string Key(string header) => new(header.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    // The export puts an apostrophe before text a spreadsheet would take for a formula; reading it back takes it off.
    private static string? Undefuse(string? value) =>
        value is { Length: > 1 } && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;
}

/// <summary>What the rows of a file come to in a business, before or while importing.</summary>
internal static class CustomerImportPlan
{
    public sealed record Planned(CustomerCsvImport.ParsedRow Row, string? CustomerId, string? SkipReason);

    public static async Task<List<Planned>> PlanAsync(ICustomerStore customers, string tenant, List<CustomerCsvImport.ParsedRow> rows, CancellationToken ct)
    {
        var plan = new List<Planned>(rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Details is not { } details) { plan.Add(new(row, null, null)); continue; }
            var id = CustomerCsvImport.IdFor(tenant, details);
            if (seen.TryGetValue(id, out var first)) { plan.Add(new(row, id, $"the same customer as row {first}")); continue; }
            seen[id] = row.Row;
            if (row.ListedId is { } listed && Ids.IsWellFormed(listed, "cus") && await customers.GetAsync(tenant, listed, ct) is not null)
                plan.Add(new(row, listed, "exists (its customerId)"));
            else if (await customers.GetAsync(tenant, id, ct) is not null)
                plan.Add(new(row, id, "exists (imported before)"));
            else if (details.Email is { } email && await customers.IdByEmailAsync(tenant, email, ct) is { } owner)
                plan.Add(new(row, owner, "exists (a customer has this e-mail)"));
            else plan.Add(new(row, id, null));
        }
        return plan;
    }

    public static CustomerImportRowView View(Planned planned, bool preview, bool created = false, string? skipReason = null)
    {
        var row = planned.Row;
        var reason = skipReason ?? planned.SkipReason;
        var status = row.Details is null ? "invalid" : reason is not null ? (preview ? "skip" : "skipped") : preview ? "create" : created ? "created" : "skipped";
        return new(row.Row, status, row.Details is null ? null : planned.CustomerId, row.Name, row.Email, reason, row.Errors.Count > 0 ? row.Errors : null);
    }

    public static CustomerImportReport Report(bool preview, List<CustomerImportRowView> items) => new(preview, items.Count,
        items.Count(i => i.Status is "create" or "created"), items.Count(i => i.Status is "skip" or "skipped"), items.Count(i => i.Status == "invalid"), items);
}

/// <summary>POST /customers/import/preview: what importing the file would do, row by row; nothing is written.</summary>
public sealed class PreviewCustomerImport(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var rows = CustomerCsvImport.Parse(request.ReadJson(ApiJsonContext.Default.CustomerImportInput).Csv);
        var plan = await CustomerImportPlan.PlanAsync(customers, request.Tenant, rows, ct);
        return ApiResponse.Ok(CustomerImportPlan.Report(true, plan.Select(p => CustomerImportPlan.View(p, preview: true)).ToList()), ApiViewJsonContext.Default.CustomerImportReport);
    }
}

/// <summary>
/// POST /customers/import: creates the valid rows' customers that do not exist yet (invalid rows are reported, not
/// imported). Idempotent per row (derived ids, the e-mail claim) and per request (Idempotency-Key).
/// </summary>
public sealed class ImportCustomers(ICustomerStore customers) : IApiHandler
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken ct)
    {
        var rows = CustomerCsvImport.Parse(request.ReadJson(ApiJsonContext.Default.CustomerImportInput).Csv);
        var plan = await CustomerImportPlan.PlanAsync(customers, request.Tenant, rows, ct);
        var items = new CustomerImportRowView[plan.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            var planned = plan[i];
            if (planned.Row.Details is not { } details || planned.SkipReason is not null) { items[i] = CustomerImportPlan.View(planned, preview: false); return; }
            var customer = new Customer
            {
                Id = planned.CustomerId!, Tenant = request.Tenant, Details = details,
                CreatedAt = request.ReceivedAt, UpdatedAt = request.ReceivedAt, UpdatedBy = request.Actor,
            };
            try
            {
                await customers.CreateAsync(customer, token);
                items[i] = CustomerImportPlan.View(planned, preview: false, created: true);
            }
            catch (AlreadyExistsException) { items[i] = CustomerImportPlan.View(planned, preview: false, skipReason: "exists (imported before)"); }
            catch (DuplicateEmailException) { items[i] = CustomerImportPlan.View(planned, preview: false, skipReason: "exists (a customer has this e-mail)"); }
        });
        return ApiResponse.Ok(CustomerImportPlan.Report(false, items.ToList()), ApiViewJsonContext.Default.CustomerImportReport);
    }
}
