using System;
using System.Collections.Generic;
using System.Linq;

public class Solution {
    public static string[] TopKWords(string[] words, int k) {
        var counts = new Dictionary<string, int>();
        foreach (var w in words) { int c; counts.TryGetValue(w, out c); counts[w] = c + 1; }
        return counts.Keys.OrderByDescending(w => counts[w]).ThenBy(w => w, StringComparer.Ordinal).Take(k).ToArray();
    }
}
