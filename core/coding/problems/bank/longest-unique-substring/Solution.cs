using System;
using System.Collections.Generic;

public class Solution {
    public static int LongestUniqueSubstring(string text) {
        var last = new Dictionary<char, int>();
        int start = 0, best = 0;
        for (int i = 0; i < text.Length; i++) {
            int seen;
            if (last.TryGetValue(text[i], out seen) && seen >= start) start = seen + 1;
            last[text[i]] = i;
            best = Math.Max(best, i - start + 1);
        }
        return best;
    }
}
