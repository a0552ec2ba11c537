import java.util.*;

class Solution {
    public static String[] topKWords(String[] words, int k) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : words) counts.merge(w, 1, Integer::sum);
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort((a, b) -> !counts.get(a).equals(counts.get(b)) ? counts.get(b) - counts.get(a) : a.compareTo(b));
        return keys.subList(0, Math.min(k, keys.size())).toArray(new String[0]);
    }
}
