using System.Text;

namespace SmallPay.Functions.Hosting.Http;

/// <summary>The HTML frame of the customer's pages: one small style sheet inline, no scripts, readable on a phone.</summary>
public static class PublicPages
{
    public const string Html = "text/html; charset=utf-8";

    public const string Style = """
        *{box-sizing:border-box}
        body{margin:0;background:#f4f6f9;color:#1f2933;font:16px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
        main{max-width:760px;margin:0 auto;padding:16px}
        .card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:20px;margin:0 0 16px}
        h1{font-size:1.35rem;margin:0 0 4px}
        h2{font-size:1rem;margin:0 0 8px;color:#5f6b7a;text-transform:uppercase;letter-spacing:.04em}
        .muted{color:#5f6b7a}
        .small{font-size:.875rem}
        .row{display:flex;flex-wrap:wrap;gap:16px;justify-content:space-between}
        .balance{background:#f1f4f8;border-radius:6px;padding:14px 16px;display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
        .balance strong{font-size:1.5rem}
        .badge{display:inline-block;border-radius:999px;padding:2px 10px;font-size:.8rem;font-weight:600;background:#e6ecf4;color:#1f4e8c}
        .badge.bad{background:#fde8e8;color:#9b1c1c}.badge.good{background:#e3f4ea;color:#146c2e}
        table{width:100%;border-collapse:collapse}
        th{font-size:.75rem;color:#5f6b7a;text-align:start;border-bottom:1px solid #dde3ea;padding:6px 4px}
        td{padding:8px 4px;border-bottom:1px solid #eef1f5;vertical-align:top}
        .num{text-align:end;white-space:nowrap}
        .totals td{border:0;padding:3px 4px}
        .totals .total td{font-weight:700;border-top:2px solid #1f2933;padding-top:8px}
        .button{display:inline-block;background:#1f4e8c;color:#fff;text-decoration:none;border:0;border-radius:6px;padding:12px 20px;font-weight:600;font-size:1rem;cursor:pointer}
        .button.secondary{background:#fff;color:#1f4e8c;border:1px solid #1f4e8c}
        input[type=text]{width:100%;font-size:1rem;padding:10px;border:1px solid #c5ced8;border-radius:6px;margin:4px 0 12px}
        pre{white-space:pre-wrap;font:inherit;margin:0}
        @media (max-width:600px){
          main{padding:8px}.card{padding:14px}
          .lines thead{display:none}
          .lines tr{display:block;border-bottom:1px solid #eef1f5;padding:8px 0}
          .lines td{display:block;border:0;padding:1px 0}
          .lines td.num{text-align:start}
          .lines td[data-label]::before{content:attr(data-label) ": ";color:#5f6b7a;font-size:.85rem}
          .lines td.amount{font-weight:600}
        }
        """;

    /// <summary>A whole page around <paramref name="body"/> (already escaped HTML).</summary>
    public static string Document(string lang, bool rightToLeft, string title, string body) =>
        new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(Encode(lang)).Append("\" dir=\"").Append(rightToLeft ? "rtl" : "ltr").Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append(body).Append("</main>\n</body>\n</html>\n").ToString();

    /// <summary>A page that only says something: a refusal, an error, a thank-you.</summary>
    public static ApiResponse Message(int status, string title, string message) =>
        Page(status, Document("en", false, title,
            $"<div class=\"card\" role=\"alert\"><h1>{Encode(title)}</h1><p>{Encode(message)}</p></div>\n"));

    public static ApiResponse Page(int status, string html) => new(status, Encoding.UTF8.GetBytes(html), Html);

    /// <summary>HTML text and attribute escaping (the five characters that mean something).</summary>
    public static string Encode(string? text) => Documents.Rendering.InvoiceEmailContent.Encode(text ?? "");
}
