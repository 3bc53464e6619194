using System.Text.Json.Nodes;

namespace SmallPay.Functions.Tests.Local.Pipeline;

/// <summary>
/// The records of the invoices table and whether the documents pipe must pass them (docs/ARCHITECTURE.md,
/// "Pipe filter"): finalized invoices the API changed go to the worker; drafts, the worker's own writes,
/// deletions and every other entity (settings, counters, claims, idempotency records) never do.
/// </summary>
public static class DocumentsFilterCases
{
    /// <summary>The pattern docs/ARCHITECTURE.md gives.</summary>
    public const string ArchitecturePattern = """
        { "eventName": ["INSERT", "MODIFY"],
          "dynamodb": { "NewImage": { "entity": { "S": ["Invoice"] }, "changedBy": { "S": ["api"] },
                                      "status": { "S": [{ "anything-but": ["Draft"] }] } } } }
        """;

    public static TheoryData<string, bool> All()
    {
        var data = new TheoryData<string, bool>();
        foreach (var (name, _, passes) in Records()) data.Add(name, passes);
        return data;
    }

    public static JsonObject Record(string name) => Records().Single(c => c.Name == name).Record;

    public static IEnumerable<(string Name, JsonObject Record, bool Passes)> Records()
    {
        yield return ("finalized by the API (INSERT, Open)", StreamRecords.Record("INSERT", StreamRecords.Invoice("Open")), true);
        yield return ("sent: a delivery request added (MODIFY, Open)",
            StreamRecords.Record("MODIFY", StreamRecords.Invoice("Open", version: 3), StreamRecords.Invoice("Open", version: 2)), true);
        yield return ("finalized from a draft (MODIFY, Draft → Open)",
            StreamRecords.Record("MODIFY", StreamRecords.Invoice("Open"), StreamRecords.Invoice("Draft", version: 1)), true);
        yield return ("payment recorded (MODIFY, PartiallyPaid)", StreamRecords.Record("MODIFY", StreamRecords.Invoice("PartiallyPaid", version: 4)), true);
        yield return ("paid (MODIFY, Paid)", StreamRecords.Record("MODIFY", StreamRecords.Invoice("Paid", version: 5)), true);
        yield return ("voided (MODIFY, Void)", StreamRecords.Record("MODIFY", StreamRecords.Invoice("Void", version: 3)), true);
        yield return ("draft created (INSERT, Draft)", StreamRecords.Record("INSERT", StreamRecords.Invoice("Draft", version: 1)), false);
        yield return ("draft edited (MODIFY, Draft)", StreamRecords.Record("MODIFY", StreamRecords.Invoice("Draft", version: 2)), false);
        yield return ("the worker recorded the document (changedBy worker)",
            StreamRecords.Record("MODIFY", StreamRecords.Invoice("Open", changedBy: "worker"), StreamRecords.Invoice("Open")), false);
        yield return ("the worker recorded a delivery on a paid invoice (changedBy worker)",
            StreamRecords.Record("MODIFY", StreamRecords.Invoice("Paid", changedBy: "worker"), StreamRecords.Invoice("Paid")), false);
        yield return ("an invoice item without changedBy", StreamRecords.Record("MODIFY", StreamRecords.Invoice("Open", changedBy: null)), false);
        yield return ("draft deleted (REMOVE)", StreamRecords.Record("REMOVE", newImage: null, oldImage: StreamRecords.Invoice("Draft")), false);
        yield return ("expired by TTL (REMOVE)", StreamRecords.Record("REMOVE", newImage: null, oldImage: StreamRecords.Invoice("Open")), false);
        yield return ("settings saved", StreamRecords.Record("MODIFY", StreamRecords.Item("Settings", "settings#tenant-1", changedBy: "api")), false);
        yield return ("invoice number counter advanced", StreamRecords.Record("MODIFY", StreamRecords.Item("Settings", "settings#tenant-1")), false);
        yield return ("invoice number claimed", StreamRecords.Record("INSERT", StreamRecords.Item("NumberClaim", "number#tenant-1#INV-000001")), false);
        yield return ("idempotency record stored",
            StreamRecords.Record("INSERT", StreamRecords.Item("Idempotency", "idem#tenant-1#send#key-1", changedBy: "api")), false);
    }
}
