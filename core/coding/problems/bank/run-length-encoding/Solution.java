class Solution {
    public static String runLengthEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int j = i;
            while (j < text.length() && text.charAt(j) == text.charAt(i)) j++;
            out.append(text.charAt(i)).append(j - i);
            i = j;
        }
        return out.toString();
    }
}
