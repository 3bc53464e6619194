using System.Text.Json;
using SmallPay.Domain.Documents;
using SmallPay.Domain.Invoices;
using SmallPay.Functions.Hosting;
using SmallPay.Functions.Reminders;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Documents;
using SmallPay.Testing;

namespace SmallPay.Functions.Tests.Reminders;

/// <summary>
/// Payment reminders through the in-memory API: the plan in the settings, RunReminders on a clock the test moves hour by
/// hour, the opt-outs, the sending limit and a reminder sent by hand.
/// </summary>
public sealed class ReminderTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryApi _api;
    private readonly ApiClient _owner;

    public ReminderTests()
    {
        _api = new InMemoryApi(new InMemoryFunctionServices(clock: _clock));
        _owner = new ApiClient(_api.CreateClient(), InMemoryApi.TokenPrefix + Guid.NewGuid());
    }

    private static object Plan(bool enabled = true) => new
    {
        enabled,
        steps = new object[]
        {
            new { timing = "BeforeDue", days = 3, subject = "Soon due: {number}", message = "{amountDue} is due on {dueDate}." },
            new { timing = "OnDueDate", days = 0, subject = "Due today: {number}", message = "Due today, {customerName}." },
            new { timing = "AfterDue", days = 7, repeatEveryDays = 14, repeats = 2, subject = "Overdue {daysOverdue} days: {number}", message = "{businessName} is still waiting for {amountDue}." },
        },
    };

    private async Task SavePlanAsync(object plan)
    {
        var settings = (await _owner.GetAsync("/settings")).Expect(200);
        (await _owner.PutAsync("/settings", new { businessName = "Atelier Sommer", reminders = plan }, settings.ETag)).Expect(200);
    }

    /// <summary>A customer and an invoice of theirs, finalized today and due on 15 March 2027.</summary>
    private async Task<(string CustomerId, string InvoiceId)> SendInvoiceAsync(string? email = null, bool withEmail = true)
    {
        var customer = withEmail
            ? (await _owner.PostAsync("/customers", ApiData.Customer(email: email))).Expect(201)
            : (await _owner.PostAsync("/customers", new { name = "Without Mail Ltd" })).Expect(201);
        var invoice = (await _owner.PostAsync("/invoices", ApiData.Invoice(customer.Id, issueDate: "2027-03-01", dueDate: "2027-03-15"))).Expect(201);
        (await _owner.PostAsync($"/invoices/{invoice.Id}/finalize")).Expect(200);
        return (customer.Id, invoice.Id);
    }

    private async Task<ReminderRunReport> RunAsync()
    {
        var output = await _api.Services.Function("RunReminders").HandleAsync("{}"u8.ToArray(), LambdaInvocation.Local(TimeSpan.FromSeconds(60)), CancellationToken.None);
        return JsonSerializer.Deserialize<ReminderRunReport>(output, SmallPay.Functions.Tests.Api.TestJson.Options)!;
    }

    /// <summary>Moves the clock hour by hour to <paramref name="until"/>, running the hourly schedule at each.</summary>
    private async Task RunHourlyUntilAsync(DateTimeOffset until)
    {
        while (_clock.Now < until)
        {
            _clock.Now = _clock.Now.AddHours(1);
            await RunAsync();
        }
    }

    private IReadOnlyList<DeliveryRequest> Reminders(string invoiceId) =>
        _api.Services.Stores.Invoices.All.Single(i => i.Id == invoiceId).DeliveryRequests.Where(r => r.Kind == DeliveryKind.Reminder).ToList();

    [Fact]
    public async Task Two_months_of_hourly_runs_send_each_step_of_the_plan_once_on_its_day_with_the_words_filled_in()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();

        await RunHourlyUntilAsync(new DateTimeOffset(2027, 5, 1, 0, 0, 0, TimeSpan.Zero));

        var reminders = Reminders(invoiceId);
        Assert.Equal(["before-3", "due", "after-7", "after-7-r1", "after-7-r2"], reminders.Select(r => r.ReminderKey));
        Assert.Equal([new DateOnly(2027, 3, 12), new DateOnly(2027, 3, 15), new DateOnly(2027, 3, 22), new DateOnly(2027, 4, 5), new DateOnly(2027, 4, 19)],
            reminders.Select(r => DateOnly.FromDateTime(r.RequestedAt.UtcDateTime)));
        Assert.All(reminders, r => Assert.Equal(8, r.RequestedAt.Hour)); // the send hour, not midnight
        var invoice = _api.Services.Stores.Invoices.All.Single(i => i.Id == invoiceId);
        Assert.Equal($"Soon due: {invoice.Number}", reminders[0].Subject);
        Assert.Contains("15", reminders[0].Message!, StringComparison.Ordinal);
        Assert.DoesNotContain("{", reminders[0].Message!, StringComparison.Ordinal);
        Assert.Equal($"Overdue 21 days: {invoice.Number}", reminders[3].Subject);
        Assert.Equal("Atelier Sommer is still waiting for " + reminders[3].Message!.Split("for ")[1], reminders[3].Message);
        Assert.Equal("7 days after the due date, repeat 1", reminders[3].ReminderLabel);
        Assert.All(reminders, r => Assert.Equal([invoice.Customer.Email!], r.To));
        // The plan has nothing left for the invoice: its marker is gone, and more runs change nothing.
        Assert.DoesNotContain(_api.Services.Stores.Reminders.All, m => m.InvoiceId == invoiceId);
        Assert.Equal(0, (await RunAsync()).Requested);
    }

    [Fact]
    public async Task Eight_runs_at_once_and_repeated_fires_request_each_reminder_exactly_once()
    {
        await SavePlanAsync(Plan());
        var invoices = new List<string>();
        for (var i = 0; i < 5; i++) invoices.Add((await SendInvoiceAsync()).InvoiceId);

        foreach (var day in new[] { 12, 15, 22 })
        {
            _clock.Now = new DateTimeOffset(2027, 3, day, 9, 30, 0, TimeSpan.Zero);
            var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(RunAsync)));
            Assert.Equal(5, reports.Sum(r => r.Requested));
            Assert.Equal(0, (await RunAsync()).Requested); // the scheduler firing again within the hour
        }

        Assert.All(invoices, id => Assert.Equal(["before-3", "due", "after-7"], Reminders(id).Select(r => r.ReminderKey)));
        // Each reminder counted once against the day's sending limit.
        var settings = (await _owner.GetAsync("/settings")).Expect(200).Body;
        Assert.Equal(5, settings["sending"]!["usedToday"]!.GetValue<int>());
    }

    [Fact]
    public async Task After_a_long_outage_only_the_latest_reminder_goes_out_and_the_rest_are_skipped()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();
        _clock.Now = new DateTimeOffset(2027, 4, 10, 12, 0, 0, TimeSpan.Zero);

        var report = await RunAsync();

        Assert.Equal(1, report.Requested);
        Assert.Equal(3, report.Skipped);
        Assert.Equal(["after-7-r1"], Reminders(invoiceId).Select(r => r.ReminderKey));
    }

    [Fact]
    public async Task A_paid_invoice_gets_no_reminder_and_leaves_the_schedule()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();
        var invoice = (await _owner.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        (await _owner.PostAsync($"/invoices/{invoiceId}/payments", new { amount = invoice.Money("totals.balanceDue"), date = "2027-03-01", method = "BankTransfer" })).Expect(201);

        await RunHourlyUntilAsync(new DateTimeOffset(2027, 3, 25, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(Reminders(invoiceId));
        Assert.DoesNotContain(_api.Services.Stores.Reminders.All, m => m.InvoiceId == invoiceId);
    }

    [Fact]
    public async Task Reminders_turned_off_for_an_invoice_skip_what_falls_meanwhile_and_resume_with_the_next()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();
        var read = (await _owner.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        Assert.True(read.Body["remindersEnabled"]!.GetValue<bool>());
        Assert.Equal("2027-03-12", read.Body["nextReminder"]!["date"]!.GetValue<string>());

        var off = (await _owner.PutAsync($"/invoices/{invoiceId}/reminders", new { enabled = false }, read.ETag)).Expect(200);
        Assert.False(off.Body["remindersEnabled"]!.GetValue<bool>());
        Assert.Equal(read.ETag, off.ETag); // not an edit: the version (and the PDF) stay
        Assert.Null((await _owner.GetAsync($"/invoices/{invoiceId}")).Expect(200).Body["nextReminder"]);
        await RunHourlyUntilAsync(new DateTimeOffset(2027, 3, 20, 0, 0, 0, TimeSpan.Zero));
        Assert.Empty(Reminders(invoiceId));

        (await _owner.PutAsync($"/invoices/{invoiceId}/reminders", new { enabled = true }, off.ETag)).Expect(200);
        await RunHourlyUntilAsync(new DateTimeOffset(2027, 3, 23, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(["after-7"], Reminders(invoiceId).Select(r => r.ReminderKey));
    }

    [Fact]
    public async Task A_customer_with_reminders_off_or_without_an_address_gets_none()
    {
        await SavePlanAsync(Plan());
        var (customerId, quiet) = await SendInvoiceAsync();
        var customer = (await _owner.GetAsync($"/customers/{customerId}")).Expect(200);
        var turnedOff = (await _owner.PutAsync($"/customers/{customerId}", new
        {
            name = customer.Body["name"]!.GetValue<string>(), email = customer.Body["email"]!.GetValue<string>(), remindersEnabled = false,
        }, customer.ETag)).Expect(200);
        Assert.False(turnedOff.Body["remindersEnabled"]!.GetValue<bool>());
        var (_, unreachable) = await SendInvoiceAsync(withEmail: false);

        await RunHourlyUntilAsync(new DateTimeOffset(2027, 3, 23, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(Reminders(quiet));
        Assert.Empty(Reminders(unreachable));
    }

    [Fact]
    public async Task A_plan_that_is_off_sends_nothing_and_parks_the_invoice_until_it_is_turned_on()
    {
        await SavePlanAsync(Plan(enabled: false));
        var (_, invoiceId) = await SendInvoiceAsync();
        await RunHourlyUntilAsync(new DateTimeOffset(2027, 3, 13, 0, 0, 0, TimeSpan.Zero));
        Assert.Empty(Reminders(invoiceId));
        // Parked: later runs do not look at it at all (no daily write per open invoice of a business without a plan).
        Assert.True(Assert.Single(_api.Services.Stores.Reminders.All, m => m.InvoiceId == invoiceId).Parked);
        Assert.Equal(0, (await RunAsync()).Looked);

        // Turned on: it is back on the schedule at once. The latest reminder that fell while the plan was off goes (turning
        // reminders on is to start chasing), then the next on its day.
        await SavePlanAsync(Plan());
        await RunHourlyUntilAsync(new DateTimeOffset(2027, 3, 16, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(["before-3", "due"], Reminders(invoiceId).Select(r => r.ReminderKey));
        Assert.Equal(new DateOnly(2027, 3, 13), DateOnly.FromDateTime(Reminders(invoiceId)[0].RequestedAt.UtcDateTime));
    }

    [Fact]
    public async Task Reminders_held_back_by_the_daily_limit_go_out_the_next_day()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();
        _api.Services.Stores.MailPolicy.SetOperatorLimit(OwnerBusiness(), 0);
        _clock.Now = new DateTimeOffset(2027, 3, 12, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, (await RunAsync()).Limited);
        Assert.Empty(Reminders(invoiceId));

        _api.Services.Stores.MailPolicy.SetOperatorLimit(OwnerBusiness(), 10);
        _clock.Now = _clock.Now.AddHours(1);
        Assert.Equal(1, (await RunAsync()).Requested);
        Assert.Equal(["before-3"], Reminders(invoiceId).Select(r => r.ReminderKey));
    }

    private string OwnerBusiness() => _api.Services.Stores.Invoices.All.First().Tenant;

    [Fact]
    public async Task A_reminder_sent_by_hand_takes_the_plans_words_once_per_idempotency_key_and_only_for_an_unpaid_invoice()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();
        _clock.Now = new DateTimeOffset(2027, 3, 20, 10, 0, 0, TimeSpan.Zero);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

        var sent = (await _owner.PostAsync($"/invoices/{invoiceId}/reminders", null, key)).Expect(202);
        (await _owner.PostAsync($"/invoices/{invoiceId}/reminders", null, key)).Expect(202);

        var reminder = Assert.Single(Reminders(invoiceId));
        Assert.StartsWith("Due today: ", reminder.Subject, StringComparison.Ordinal); // the latest step that has fallen
        Assert.Null(reminder.ReminderKey);
        var shown = sent.Body["deliveries"]!.AsArray().Single(d => d!["kind"]!.GetValue<string>() == "Reminder")!;
        Assert.Equal("Pending", shown["status"]!.GetValue<string>());

        var own = (await _owner.PostAsync($"/invoices/{invoiceId}/reminders", new { subject = "Quick question", message = "Any news?" })).Expect(202);
        Assert.Equal(2, Reminders(invoiceId).Count);
        Assert.Contains(own.Body["deliveries"]!.AsArray(), d => d!["subject"]!.GetValue<string>() == "Quick question");

        var invoice = (await _owner.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        (await _owner.PostAsync($"/invoices/{invoiceId}/payments", new { amount = invoice.Money("totals.balanceDue"), date = "2027-03-20", method = "Cash" })).Expect(201);
        var paid = (await _owner.PostAsync($"/invoices/{invoiceId}/reminders")).Expect(409);
        Assert.Contains("paid", paid.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var draft = (await _owner.PostAsync("/invoices", ApiData.Invoice((await _owner.PostAsync("/customers", ApiData.Customer())).Expect(201).Id))).Expect(201);
        (await _owner.PostAsync($"/invoices/{draft.Id}/reminders")).Expect(409);
        (await _owner.PostAsync($"/invoices/inv_nope/reminders")).Expect(404);
    }

    [Fact]
    public async Task Bad_plans_and_bad_switches_get_a_422_naming_each_field_and_change_nothing()
    {
        var settings = (await _owner.GetAsync("/settings")).Expect(200);
        Assert.False(settings.Body["reminders"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(3, settings.Body["reminders"]!["steps"]!.AsArray().Count); // the default plan, ready to turn on
        var refused = (await _owner.PutAsync("/settings", new
        {
            businessName = "Atelier Sommer",
            reminders = new { enabled = true, steps = new object[] { new { timing = "BeforeDue", days = 2 }, new { timing = "AfterDue", days = 900, subject = "x", message = "{balance}" } } },
        }, settings.ETag)).Expect(422);
        Assert.Contains("/reminders/steps/0/subject", refused.ErrorPointers());
        (await _owner.PutAsync("/settings", new { businessName = "Atelier Sommer", reminders = new { enabled = true, steps = new object[] { new { timing = "Later", days = 2 } } } },
            settings.ETag)).Expect(400); // not one of the timings: a malformed body, as for every enum
        Assert.Contains("/reminders/steps/1/days", refused.ErrorPointers());
        Assert.Contains("/reminders/steps/1/message", refused.ErrorPointers());

        var (_, invoiceId) = await SendInvoiceAsync();
        var read = (await _owner.GetAsync($"/invoices/{invoiceId}")).Expect(200);
        (await _owner.PutAsync($"/invoices/{invoiceId}/reminders", new { }, read.ETag)).Expect(422);
        (await _owner.SendAsync(HttpMethod.Put, $"/invoices/{invoiceId}/reminders", new { enabled = false })).Expect(428);
        (await _owner.PutAsync($"/invoices/{invoiceId}/reminders", new { enabled = "no" }, read.ETag)).Expect(400);
        Assert.True((await _owner.GetAsync($"/invoices/{invoiceId}")).Expect(200).Body["remindersEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Another_business_can_neither_switch_nor_send_reminders_of_this_invoice()
    {
        await SavePlanAsync(Plan());
        var (_, invoiceId) = await SendInvoiceAsync();
        var stranger = new ApiClient(_api.CreateClient(), InMemoryApi.TokenPrefix + Guid.NewGuid());
        (await stranger.PostAsync($"/invoices/{invoiceId}/reminders")).Expect(404);
        (await stranger.PutAsync($"/invoices/{invoiceId}/reminders", new { enabled = false }, "\"2\"")).Expect(404);
        Assert.Empty(Reminders(invoiceId));
    }
}
