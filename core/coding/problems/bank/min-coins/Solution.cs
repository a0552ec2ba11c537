public class Solution {
    public static int MinCoins(int[] coins, int amount) {
        var best = new int[amount + 1];
        for (int v = 1; v <= amount; v++) best[v] = amount + 1;
        for (int v = 1; v <= amount; v++) {
            foreach (int c in coins) {
                if (c <= v && best[v - c] + 1 < best[v]) best[v] = best[v - c] + 1;
            }
        }
        return best[amount] <= amount ? best[amount] : -1;
    }
}
