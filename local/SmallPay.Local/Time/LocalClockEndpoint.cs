using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace SmallPay.Local.Time;

/// <summary>
/// <c>GET /_local/clock</c>: the time the local functions see. <c>POST /_local/clock</c> with
/// <c>{"advance": "P1M", "step": "P1D"}</c> moves it forward by an ISO 8601 duration (years, months, weeks, days, hours,
/// minutes; months are calendar months), a step at a time (default one day), running the template's schedules after
/// each step (RunRecurring and RunReminders hourly, RetryWebhooks every minute: each runs once per step, catching up
/// on what fell due in it); <c>{"reset": true}</c> goes back to the machine's time. Local only.
/// </summary>
public static partial class LocalClockEndpoint
{
    public const string Path = "/_local/clock";

    /// <summary>At most this many steps per request (a year by the day).</summary>
    public const int MaxSteps = 400;

    public static async Task<bool> TryServeAsync(HttpContext context, LocalClock clock, LocalSchedules? schedules)
    {
        if (context.Request.Path != Path) return false;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await WriteAsync(context, 200, Now(clock));
            return true;
        }
        if (!HttpMethods.IsPost(context.Request.Method)) return false;

        JsonNode? input;
        try { input = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted); }
        catch (System.Text.Json.JsonException) { input = null; }
        if (input?["reset"]?.GetValue<bool>() == true)
        {
            clock.Reset();
            await WriteAsync(context, 200, Now(clock));
            return true;
        }
        var now = clock.GetUtcNow();
        if (Target(now, input?["advance"]?.GetValue<string>()) is not { } target || target <= now
            || Target(now, input?["step"]?.GetValue<string>() ?? "P1D") is not { } firstStep || firstStep <= now)
        {
            await WriteAsync(context, 400, new JsonObject { ["message"] = """send {"advance": "P1M"} (an ISO 8601 duration forward; optional "step", default "P1D"), or {"reset": true}""" });
            return true;
        }
        var step = input?["step"]?.GetValue<string>() ?? "P1D";
        var steps = 0;
        var runs = 0;
        while (clock.GetUtcNow() < target && steps < MaxSteps)
        {
            var current = clock.GetUtcNow();
            var next = Target(current, step)!.Value;
            clock.Advance((next < target ? next : target) - current);
            steps++;
            if (schedules is not null) runs += await schedules.RunAllAsync(context.RequestAborted);
        }
        var answer = Now(clock);
        answer["steps"] = steps;
        answer["scheduledRuns"] = runs;
        if (schedules is not null)
        {
            var last = new JsonObject();
            foreach (var (function, output) in schedules.LastOutputs)
            {
                try { last[function] = JsonNode.Parse(output); }
                catch (System.Text.Json.JsonException) { last[function] = output; }
            }
            answer["lastRuns"] = last;
        }
        await WriteAsync(context, 200, answer);
        return true;
    }

    /// <summary><paramref name="from"/> moved forward by an ISO 8601 duration, or null when it is not one.</summary>
    public static DateTimeOffset? Target(DateTimeOffset from, string? duration)
    {
        if (duration is null || Duration().Match(duration) is not { Success: true } m || duration == "P" || duration.EndsWith('T')) return null;
        int Part(string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            return from.AddYears(Part("y")).AddMonths(Part("mo")).AddDays(7 * Part("w") + Part("d")).AddHours(Part("h")).AddMinutes(Part("mi"));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^P(?:(?<y>\d{1,3})Y)?(?:(?<mo>\d{1,4})M)?(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,5})D)?(?:T(?:(?<h>\d{1,6})H)?(?:(?<mi>\d{1,7})M)?)?$")]
    private static partial Regex Duration();

    private static JsonObject Now(LocalClock clock) => new()
    {
        ["now"] = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["offsetSeconds"] = (long)clock.Offset.TotalSeconds,
    };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
