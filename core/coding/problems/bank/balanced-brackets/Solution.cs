using System.Collections.Generic;

public class Solution {
    public static bool IsBalanced(string text) {
        var stack = new Stack<char>();
        foreach (char ch in text) {
            if (ch == '(' || ch == '[' || ch == '{') stack.Push(ch);
            else if (ch == ')' || ch == ']' || ch == '}') {
                char open = ch == ')' ? '(' : ch == ']' ? '[' : '{';
                if (stack.Count == 0 || stack.Pop() != open) return false;
            }
        }
        return stack.Count == 0;
    }
}
