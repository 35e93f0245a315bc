namespace SweepRunner.DemoBuilder;

/// <summary>Draws batches of indices without replacement within an epoch, reshuffling (Fisher–Yates) at each epoch's start.</summary>
internal sealed class DemoBatches(int count, Random random)
{
    readonly int[] _order = Enumerable.Range(0, count).ToArray();
    int _position = count;

    public long[] Next(int batchSize)
    {
        var batch = new long[batchSize];
        for (var i = 0; i < batchSize; i++)
        {
            if (_position == _order.Length) Shuffle();
            batch[i] = _order[_position++];
        }

        return batch;
    }

    void Shuffle()
    {
        for (var i = _order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }

        _position = 0;
    }
}
