using System.Text;

public class Solution {
    public static string RunLengthEncode(string text) {
        var result = new StringBuilder();
        for (int i = 0; i < text.Length; ) {
            int j = i;
            while (j < text.Length && text[j] == text[i]) j++;
            result.Append(text[i]).Append(j - i);
            i = j;
        }
        return result.ToString();
    }
}
