namespace SweepRunner.Core.Scoring;

/// <summary>The inverse of a symmetric positive definite matrix, by Cholesky factorisation.</summary>
internal static class SymmetricPositiveDefinite
{
    public static double[,] Inverse(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var lower = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = matrix[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= lower[i, k] * lower[j, k];
                }

                if (i == j)
                {
                    if (sum <= 0)
                    {
                        throw new ArgumentException("the matrix is not positive definite", nameof(matrix));
                    }

                    lower[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i, j] = sum / lower[j, j];
                }
            }
        }

        // Solve L Lᵀ x = e_k for each column k.
        var inverse = new double[n, n];
        var column = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                var sum = i == k ? 1.0 : 0.0;
                for (var m = 0; m < i; m++)
                {
                    sum -= lower[i, m] * column[m];
                }

                column[i] = sum / lower[i, i];
            }

            for (var i = n - 1; i >= 0; i--)
            {
                var sum = column[i];
                for (var m = i + 1; m < n; m++)
                {
                    sum -= lower[m, i] * column[m];
                }

                column[i] = sum / lower[i, i];
            }

            for (var i = 0; i < n; i++)
            {
                inverse[i, k] = column[i];
            }
        }

        return inverse;
    }
}
