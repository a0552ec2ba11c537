using System.Collections.Generic;

public class Solution {
    public static int CountIslands(string[] grid) {
        int rows = grid.Length, cols = rows == 0 ? 0 : grid[0].Length;
        var seen = new bool[rows, cols];
        int count = 0;
        int[] dy = { 1, -1, 0, 0 }, dx = { 0, 0, 1, -1 };
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (grid[r][c] != '1' || seen[r, c]) continue;
                count++;
                var stack = new Stack<int[]>();
                stack.Push(new[] { r, c });
                seen[r, c] = true;
                while (stack.Count > 0) {
                    var p = stack.Pop();
                    for (int k = 0; k < 4; k++) {
                        int y = p[0] + dy[k], x = p[1] + dx[k];
                        if (y >= 0 && y < rows && x >= 0 && x < cols && grid[y][x] == '1' && !seen[y, x]) {
                            seen[y, x] = true;
                            stack.Push(new[] { y, x });
                        }
                    }
                }
            }
        }
        return count;
    }
}
