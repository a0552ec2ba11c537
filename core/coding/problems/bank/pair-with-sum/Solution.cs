using System.Collections.Generic;

public class Solution {
    public static int[] PairWithSum(int[] nums, int target) {
        var first = new Dictionary<int, int>();
        for (int j = 0; j < nums.Length; j++) {
            int i;
            if (first.TryGetValue(target - nums[j], out i)) return new[] { i, j };
            if (!first.ContainsKey(nums[j])) first[nums[j]] = j;
        }
        return new int[0];
    }
}
