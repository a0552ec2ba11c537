using System;
using System.Collections.Generic;
using System.Linq;

public class Solution {
    public static int[][] MergeIntervals(int[][] intervals) {
        var merged = new List<int[]>();
        foreach (var p in intervals.OrderBy(p => p[0]).ThenBy(p => p[1])) {
            if (merged.Count > 0 && p[0] <= merged[merged.Count - 1][1])
                merged[merged.Count - 1][1] = Math.Max(merged[merged.Count - 1][1], p[1]);
            else
                merged.Add(new[] { p[0], p[1] });
        }
        return merged.ToArray();
    }
}
