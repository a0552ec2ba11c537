import java.util.*;

class Solution {
    public static int minCoins(int[] coins, int amount) {
        int[] best = new int[amount + 1];
        Arrays.fill(best, amount + 1);
        best[0] = 0;
        for (int v = 1; v <= amount; v++) {
            for (int c : coins) {
                if (c <= v && best[v - c] + 1 < best[v]) best[v] = best[v - c] + 1;
            }
        }
        return best[amount] <= amount ? best[amount] : -1;
    }
}
