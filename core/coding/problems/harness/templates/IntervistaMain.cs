using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

// Intervista test harness: reads "nonce" then one JSON argument list per line from stdin.
public static class IntervistaMain {
    sealed class Json {
        readonly string s; int i;
        Json(string s) { this.s = s; }
        public static object Parse(string text) { return new Json(text).Value(); }
        void Ws() { while (i < s.Length && char.IsWhiteSpace(s[i])) i++; }
        object Value() {
            Ws();
            char c = s[i];
            if (c == '[') {
                i++; var list = new List<object>(); Ws();
                if (s[i] == ']') { i++; return list; }
                while (true) { list.Add(Value()); Ws(); char d = s[i++]; if (d == ']') return list; }
            }
            if (c == '"') return Str();
            if (string.CompareOrdinal(s, i, "true", 0, 4) == 0) { i += 4; return true; }
            if (string.CompareOrdinal(s, i, "false", 0, 5) == 0) { i += 5; return false; }
            if (string.CompareOrdinal(s, i, "null", 0, 4) == 0) { i += 4; return null; }
            int start = i;
            while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
            string num = s.Substring(start, i - start);
            if (num.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0) return double.Parse(num, CultureInfo.InvariantCulture);
            return long.Parse(num, CultureInfo.InvariantCulture);
        }
        string Str() {
            var b = new StringBuilder(); i++;
            while (true) {
                char c = s[i++];
                if (c == '"') return b.ToString();
                if (c != '\\') { b.Append(c); continue; }
                char e = s[i++];
                switch (e) {
                    case 'n': b.Append('\n'); break;
                    case 't': b.Append('\t'); break;
                    case 'r': b.Append('\r'); break;
                    case 'b': b.Append('\b'); break;
                    case 'f': b.Append('\f'); break;
                    case 'u': b.Append((char)Convert.ToInt32(s.Substring(i, 4), 16)); i += 4; break;
                    default: b.Append(e); break;
                }
            }
        }
        public static void Write(StringBuilder b, object v) {
            if (v == null) { b.Append("null"); return; }
            if (v is bool) { b.Append((bool)v ? "true" : "false"); return; }
            if (v is int || v is long || v is short || v is byte) { b.Append(Convert.ToString(v, CultureInfo.InvariantCulture)); return; }
            if (v is double || v is float) {
                double d = Convert.ToDouble(v);
                b.Append(double.IsNaN(d) || double.IsInfinity(d) ? "null" : d.ToString("R", CultureInfo.InvariantCulture)); return;
            }
            if (v is string || v is char) { Quote(b, v.ToString()); return; }
            var seq = v as IEnumerable;
            if (seq != null) {
                b.Append('['); bool first = true;
                foreach (object o in seq) { if (!first) b.Append(','); first = false; Write(b, o); }
                b.Append(']'); return;
            }
            throw new ArgumentException("result of type " + v.GetType().FullName + " cannot be sent as JSON");
        }
        public static void Quote(StringBuilder b, string t) {
            b.Append('"');
            foreach (char c in t) {
                if (c == '"' || c == '\\') b.Append('\\').Append(c);
                else if (c < ' ') b.Append("\\u").Append(((int)c).ToString("x4"));
                else b.Append(c);
            }
            b.Append('"');
        }
    }

    static List<object> L(object o) { return (List<object>)o; }
    static int ToInt(object o) { return (int)Convert.ToInt64(o, CultureInfo.InvariantCulture); }
    static long ToLong(object o) { return Convert.ToInt64(o, CultureInfo.InvariantCulture); }
    static double ToFloat(object o) { return Convert.ToDouble(o, CultureInfo.InvariantCulture); }
    static bool ToBool(object o) { return (bool)o; }
    static string ToStr(object o) { return (string)o; }
    static T[] Arr<T>(object o, Func<object, T> f) { var l = L(o); var r = new T[l.Count]; for (int k = 0; k < r.Length; k++) r[k] = f(l[k]); return r; }
    static int[] ToIntArray(object o) { return Arr(o, ToInt); }
    static long[] ToLongArray(object o) { return Arr(o, ToLong); }
    static double[] ToFloatArray(object o) { return Arr(o, ToFloat); }
    static bool[] ToBoolArray(object o) { return Arr(o, ToBool); }
    static string[] ToStrArray(object o) { return Arr(o, ToStr); }
    static int[][] ToIntArray2(object o) { return Arr(o, ToIntArray); }
    static long[][] ToLongArray2(object o) { return Arr(o, ToLongArray); }
    static double[][] ToFloatArray2(object o) { return Arr(o, ToFloatArray); }
    static string[][] ToStrArray2(object o) { return Arr(o, ToStrArray); }

    static object Call(List<object> args) {
        /*INTERVISTA_CALL*/
    }

    public static void Main(string[] argv) {
        var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        string nonce = stdin.ReadLine().Trim();
        var tests = new List<string>();
        for (string line; (line = stdin.ReadLine()) != null; ) if (line.Trim().Length > 0) tests.Add(line);
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        for (int index = 0; index < tests.Count; index++) {
            var args = L(Json.Parse(tests[index]));
            var b = new StringBuilder();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try {
                object result = Call(args);
                double ms = watch.Elapsed.TotalMilliseconds;
                var value = new StringBuilder();
                Json.Write(value, result);
                b.Append("{\"ok\":true,\"ms\":").Append(ms.ToString("R", CultureInfo.InvariantCulture)).Append(",\"value\":").Append(value).Append('}');
            } catch (Exception e) {
                double ms = watch.Elapsed.TotalMilliseconds;
                var inner = e is System.Reflection.TargetInvocationException && e.InnerException != null ? e.InnerException : e;
                b.Append("{\"ok\":false,\"ms\":").Append(ms.ToString("R", CultureInfo.InvariantCulture)).Append(",\"error\":");
                Json.Quote(b, inner.GetType().Name + ": " + inner.Message);
                b.Append('}');
            }
            Console.Out.Flush();
            output.Write("\n" + nonce + " " + index + " " + b + "\n");
            output.Flush();
        }
    }
}
