using System.Text.Json;
using System.Text.Json.Serialization;
using SweepRunner.Core.Results;

namespace SweepRunner.Core.Running;

/// <summary>
/// One line a training worker writes to its standard output for the supervisor: JSON, one object per
/// line, <c>type</c> first. The store holds the record of what happened; these lines only drive the
/// progress display and tell the supervisor which job a crashed worker was running.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ModelLoaded), "model-loaded")]
[JsonDerivedType(typeof(JobStarted), "job-started")]
[JsonDerivedType(typeof(JobProgress), "progress")]
[JsonDerivedType(typeof(JobValidated), "validated")]
[JsonDerivedType(typeof(JobFinished), "job-finished")]
[JsonDerivedType(typeof(JobBusy), "job-busy")]
public abstract record WorkerMessage
{
    public const string Prefix = "@sweeprunner ";

    static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToLine() => Prefix + JsonSerializer.Serialize(this, Options);

    /// <summary>Parses a worker line; other output (library logs) gives null.</summary>
    public static WorkerMessage? Parse(string? line)
    {
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        try
        {
            return JsonSerializer.Deserialize<WorkerMessage>(line.AsSpan(Prefix.Length), Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record ModelLoaded(string Model, double Seconds, int LoadsInThisWorker) : WorkerMessage;

/// <param name="ContinuesLabel">The shorter job whose final state this attempt starts from at <paramref name="ResumedFromStep"/>; null when it resumes its own state or starts at 0.</param>
public sealed record JobStarted(string JobId, string Label, long AttemptId, long ResumedFromStep, long TotalSteps, string? ContinuesLabel = null) : WorkerMessage;

/// <param name="AverageLoss">kohya's avr_loss: the mean step loss over the last epoch's worth of steps (<see cref="MovingAverageLoss"/>).</param>
public sealed record JobProgress(string JobId, int Epoch, long Step, long TotalSteps, double Loss, double LearningRate, double SamplesPerSecond, double AverageLoss) : WorkerMessage;

/// <summary>The loss on the job's validation set after <paramref name="Epoch"/>, and the best validated epoch of the job so far.</summary>
public sealed record JobValidated(string JobId, long Epoch, double? Loss, int Images, long? BestEpoch) : WorkerMessage;

/// <summary>On the line, the outcome is the store's word for it: succeeded, failed, diverged, interrupted, timed-out.</summary>
public sealed record JobFinished(string JobId, [property: JsonConverter(typeof(OutcomeWord))] AttemptOutcome Outcome, string? Error) : WorkerMessage;

/// <summary>The job was not trained: another process holds its <see cref="JobLock"/>, that is, trains it now.</summary>
public sealed record JobBusy(string JobId, string Label) : WorkerMessage;

/// <summary>Writes and reads an <see cref="AttemptOutcome"/> as its <see cref="StoredNames"/> word.</summary>
sealed class OutcomeWord : JsonConverter<AttemptOutcome>
{
    public override AttemptOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("an outcome is a string");
        try
        {
            return StoredNames.ParseOutcome(text);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, AttemptOutcome value, JsonSerializerOptions options) =>
        writer.WriteStringValue(StoredNames.Of(value));
}
