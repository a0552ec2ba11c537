public class Solution {
    public static int LongestIncreasingSubsequence(int[] nums) {
        var tails = new int[nums.Length];
        int size = 0;
        foreach (int x in nums) {
            int lo = 0, hi = size;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (tails[mid] < x) lo = mid + 1;
                else hi = mid;
            }
            tails[lo] = x;
            if (lo == size) size++;
        }
        return size;
    }
}
