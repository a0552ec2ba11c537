import java.util.*;

class Solution {
    public static int longestUniqueSubstring(String text) {
        Map<Character, Integer> last = new HashMap<>();
        int start = 0, best = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            Integer seen = last.get(ch);
            if (seen != null && seen >= start) start = seen + 1;
            last.put(ch, i);
            best = Math.max(best, i - start + 1);
        }
        return best;
    }
}
