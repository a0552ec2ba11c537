import java.util.*;

class Solution {
    public static int[] pairWithSum(int[] nums, int target) {
        Map<Integer, Integer> first = new HashMap<>();
        for (int j = 0; j < nums.length; j++) {
            Integer i = first.get(target - nums[j]);
            if (i != null) return new int[] {i, j};
            first.putIfAbsent(nums[j], j);
        }
        return new int[0];
    }
}
