namespace SmallPay.Domain.Validation;

/// <summary>One problem with one field. Path is the field's location in the request, e.g. "lines/2/quantity".</summary>
public sealed record FieldError(string Path, string Message);

/// <summary>Collects field errors so a request reports all its problems at once.</summary>
public sealed class ValidationErrors
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> All => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message) => _errors.Add(new FieldError(path, message));

    public void ThrowIfAny(string summary)
    {
        if (_errors.Count > 0) throw new DomainValidationException(summary, _errors);
    }
}

/// <summary>The request is well-formed but breaks a rule (HTTP 422).</summary>
public sealed class DomainValidationException(string message, IReadOnlyList<FieldError> errors) : Exception(message)
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>The invoice's status does not allow this change (HTTP 409).</summary>
public sealed class InvoiceStateException(string message) : Exception(message);
