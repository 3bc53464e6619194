using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SmallPay.Functions.Tests.Api;
using SmallPay.Functions.Tests.Infrastructure;
using SmallPay.Functions.Tests.Pipeline;
using SmallPay.Local.Time;

namespace SmallPay.Functions.Tests.Reminders;

/// <summary>
/// A month of payment reminders in seconds on the local stack: the plan saved through the HTTP API, the local clock moved
/// a day at a time (RunReminders runs after each step, as the template's hourly schedule), each reminder a real e-mail
/// with the current PDF through the stream, the pipe, the queue, the worker and maildev.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class ReminderLocalStackTests(LocalStackFixture stack) : PipelineTest(stack)
{
    [Fact]
    public async Task A_month_on_the_local_clock_mails_the_plans_reminders_once_each_with_the_pdf()
    {
        LocalClock.Shared.Reset();
        try { await AMonthOfRemindersAsync(); }
        finally { LocalClock.Shared.Reset(); } // the other tests of the stack see the machine's time again
    }

    private async Task AMonthOfRemindersAsync()
    {
        var api = await TestApi.ForNewUserAsync(Stack);
        var settings = (await api.GetAsync("/settings")).Expect(200);
        (await api.PutAsync("/settings", new
        {
            businessName = "Reminder Studio",
            reminders = new
            {
                enabled = true,
                steps = new object[]
                {
                    new { timing = "BeforeDue", days = 3, subject = "Coming up: {number}", message = "{amountDue} is due on {dueDate}." },
                    new { timing = "OnDueDate", days = 0, subject = "Due today: {number}", message = "Due today." },
                    new { timing = "AfterDue", days = 7, repeatEveryDays = 30, repeats = 1, subject = "Overdue: {number} ({daysOverdue} days)", message = "Still open: {amountDue}." },
                },
            },
        }, settings.ETag)).Expect(200);
        var email = $"reminded-{Guid.NewGuid():N}@example.com";
        var customer = (await api.PostAsync("/customers", ApiData.Customer("Slow Payer GmbH", email))).Expect(201);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var invoice = (await api.PostAsync("/invoices", ApiData.Invoice(customer.Id, issueDate: $"{today:yyyy-MM-dd}", dueDate: $"{today.AddDays(10):yyyy-MM-dd}"))).Expect(201);
        (await api.PostAsync($"/invoices/{invoice.Id}/send")).Expect(202);
        Assert.Single(await Stack.MailSink.WaitForRecipientAsync(email, timeout: TimeSpan.FromSeconds(30)));

        using var http = Stack.CreateHttpClient();
        using var moved = await http.PostAsJsonAsync("_local/clock", new { advance = "P30D", step = "PT6H" });
        var clockAnswer = await moved.Content.ReadAsStringAsync();
        Assert.True(moved.IsSuccessStatusCode, clockAnswer);

        // The invoice, then 3 days before, on and 7 days after the due date (the repeat falls on day 47: not yet).
        IReadOnlyList<SentMail> mails;
        try { mails = await Stack.MailSink.WaitForRecipientAsync(email, count: 4, timeout: TimeSpan.FromSeconds(60)); }
        catch (TimeoutException e)
        {
            var now = (await api.GetAsync($"/invoices/{invoice.Id}")).Text;
            throw new TimeoutException($"{e.Message}\nclock: {clockAnswer}\ninvoice: {now}", e);
        }
        var number = (await api.GetAsync($"/invoices/{invoice.Id}")).Expect(200).Body["number"]!.GetValue<string>();
        // (They reach the sink moments apart, in any order: the worker sends them as the pipe delivers them.)
        var reminders = mails.Where(m => !m.Subject.StartsWith("Invoice ", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { $"Coming up: {number}", $"Due today: {number}", $"Overdue: {number} (7 days)" }.Order(), reminders.Select(m => m.Subject).Order());
        foreach (var mail in reminders)
        {
            Assert.Contains("A reminder about invoice", mail.Text, StringComparison.Ordinal);
            var pdf = Assert.Single(mail.Attachments, a => a.ContentType == "application/pdf");
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await Stack.MailSink.AttachmentAsync(mail, pdf))[..4], StringComparison.Ordinal);
        }

        // Moving on a few more days repeats nothing; the invoice's history shows each reminder sent.
        using var again = await http.PostAsJsonAsync("_local/clock", new { advance = "P3D", step = "PT6H" });
        Assert.True(again.IsSuccessStatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(4, (await Stack.MailSink.ToAsync(email)).Count);
        var shown = (await api.GetAsync($"/invoices/{invoice.Id}")).Expect(200).Body;
        var deliveries = shown["deliveries"]!.AsArray();
        Assert.Equal(3, deliveries.Count(d => d!["kind"]!.GetValue<string>() == "Reminder" && d["status"]!.GetValue<string>() == "Sent"));
        Assert.Equal("7 days after the due date, repeat 1", shown["nextReminder"]!["label"]!.GetValue<string>());
    }
}
