import java.util.*;

class Solution {
    public static double[] runningMedian(int[] nums) {
        PriorityQueue<Integer> low = new PriorityQueue<>(Collections.reverseOrder());
        PriorityQueue<Integer> high = new PriorityQueue<>();
        double[] medians = new double[nums.length];
        for (int i = 0; i < nums.length; i++) {
            low.add(nums[i]);
            high.add(low.poll());
            if (high.size() > low.size()) low.add(high.poll());
            medians[i] = low.size() > high.size() ? low.peek() : ((double) low.peek() + high.peek()) / 2.0;
        }
        return medians;
    }
}
