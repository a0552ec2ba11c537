using System.Collections.Generic;

public class Solution {
    public static double[] RunningMedian(int[] nums) {
        var sorted = new List<int>();
        var medians = new double[nums.Length];
        for (int i = 0; i < nums.Length; i++) {
            int at = sorted.BinarySearch(nums[i]);
            sorted.Insert(at < 0 ? ~at : at, nums[i]);
            int n = sorted.Count;
            medians[i] = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2.0;
        }
        return medians;
    }
}
