import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * Intervista test harness library (compiled once per process, then reused): reads "nonce" then
 * one JSON argument list per line from stdin and calls the generated IntervistaMain's call.
 */
public class IntervistaLib {
    public interface Call { Object apply(List<?> args) throws Exception; }

    static final class Json {
        private final String s;
        private int i;
        Json(String s) { this.s = s; }
        static Object parse(String text) { Json p = new Json(text); Object v = p.value(); return v; }
        private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '[') {
                i++; List<Object> list = new ArrayList<>(); ws();
                if (s.charAt(i) == ']') { i++; return list; }
                while (true) { list.add(value()); ws(); char d = s.charAt(i++); if (d == ']') return list; }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            if (num.contains(".") || num.contains("e") || num.contains("E")) return Double.parseDouble(num);
            return Long.parseLong(num);
        }
        private String string() {
            StringBuilder b = new StringBuilder(); i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }
        static void write(StringBuilder b, Object v) {
            if (v == null) { b.append("null"); return; }
            if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) { b.append(v); return; }
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                b.append(Double.isFinite(d) ? Double.toString(d) : "null"); return;
            }
            if (v instanceof String || v instanceof Character) { quote(b, v.toString()); return; }
            if (v instanceof int[]) { int[] a = (int[]) v; b.append('['); for (int k = 0; k < a.length; k++) { if (k > 0) b.append(','); b.append(a[k]); } b.append(']'); return; }
            if (v instanceof long[]) { long[] a = (long[]) v; b.append('['); for (int k = 0; k < a.length; k++) { if (k > 0) b.append(','); b.append(a[k]); } b.append(']'); return; }
            if (v instanceof double[]) { double[] a = (double[]) v; b.append('['); for (int k = 0; k < a.length; k++) { if (k > 0) b.append(','); write(b, a[k]); } b.append(']'); return; }
            if (v instanceof boolean[]) { boolean[] a = (boolean[]) v; b.append('['); for (int k = 0; k < a.length; k++) { if (k > 0) b.append(','); b.append(a[k]); } b.append(']'); return; }
            if (v instanceof Object[]) { v = Arrays.asList((Object[]) v); }
            if (v instanceof Iterable) {
                b.append('['); boolean first = true;
                for (Object o : (Iterable<?>) v) { if (!first) b.append(','); first = false; write(b, o); }
                b.append(']'); return;
            }
            throw new IllegalArgumentException("result of type " + v.getClass().getName() + " cannot be sent as JSON");
        }
        static void quote(StringBuilder b, String t) {
            b.append('"');
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (c == '"' || c == '\\') b.append('\\').append(c);
                else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            b.append('"');
        }
    }

    static List<?> list(Object o) { return (List<?>) o; }
    static int toInt(Object o) { return (int) ((Number) o).longValue(); }
    static long toLong(Object o) { return ((Number) o).longValue(); }
    static double toFloat(Object o) { return ((Number) o).doubleValue(); }
    static boolean toBool(Object o) { return (Boolean) o; }
    static String toString(Object o) { return (String) o; }
    static int[] toIntArray(Object o) { List<?> l = list(o); int[] r = new int[l.size()]; for (int k = 0; k < r.length; k++) r[k] = toInt(l.get(k)); return r; }
    static long[] toLongArray(Object o) { List<?> l = list(o); long[] r = new long[l.size()]; for (int k = 0; k < r.length; k++) r[k] = toLong(l.get(k)); return r; }
    static double[] toFloatArray(Object o) { List<?> l = list(o); double[] r = new double[l.size()]; for (int k = 0; k < r.length; k++) r[k] = toFloat(l.get(k)); return r; }
    static boolean[] toBoolArray(Object o) { List<?> l = list(o); boolean[] r = new boolean[l.size()]; for (int k = 0; k < r.length; k++) r[k] = toBool(l.get(k)); return r; }
    static String[] toStringArray(Object o) { List<?> l = list(o); String[] r = new String[l.size()]; for (int k = 0; k < r.length; k++) r[k] = toString(l.get(k)); return r; }
    static int[][] toIntArray2(Object o) { List<?> l = list(o); int[][] r = new int[l.size()][]; for (int k = 0; k < r.length; k++) r[k] = toIntArray(l.get(k)); return r; }
    static long[][] toLongArray2(Object o) { List<?> l = list(o); long[][] r = new long[l.size()][]; for (int k = 0; k < r.length; k++) r[k] = toLongArray(l.get(k)); return r; }
    static double[][] toFloatArray2(Object o) { List<?> l = list(o); double[][] r = new double[l.size()][]; for (int k = 0; k < r.length; k++) r[k] = toFloatArray(l.get(k)); return r; }
    static String[][] toStringArray2(Object o) { List<?> l = list(o); String[][] r = new String[l.size()][]; for (int k = 0; k < r.length; k++) r[k] = toStringArray(l.get(k)); return r; }

    public static void run(Call call) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String nonce = in.readLine().trim();
        List<String> tests = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) if (!line.isBlank()) tests.add(line);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        for (int index = 0; index < tests.size(); index++) {
            List<?> args = list(Json.parse(tests.get(index)));
            StringBuilder b = new StringBuilder();
            long start = System.nanoTime();
            try {
                Object result = call.apply(args);
                double ms = (System.nanoTime() - start) / 1e6;
                StringBuilder value = new StringBuilder();
                Json.write(value, result);
                b.append("{\"ok\":true,\"ms\":").append(ms).append(",\"value\":").append(value).append('}');
            } catch (Throwable e) {
                double ms = (System.nanoTime() - start) / 1e6;
                Throwable cause = e;
                StackTraceElement[] trace = cause.getStackTrace();
                String where = "";
                for (StackTraceElement el : trace) if ("Solution.java".equals(el.getFileName())) { where = " (Solution.java line " + el.getLineNumber() + ")"; break; }
                b.append("{\"ok\":false,\"ms\":").append(ms).append(",\"error\":");
                Json.quote(b, cause.toString() + where);
                b.append('}');
            }
            System.out.flush();
            out.print("\n" + nonce + " " + index + " " + b + "\n");
            out.flush();
        }
    }
}
