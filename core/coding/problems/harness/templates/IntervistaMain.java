/** Intervista test harness entry point, generated per problem; the work is in IntervistaLib. */
public class IntervistaMain {
    public static void main(String[] argv) throws Exception {
        IntervistaLib.run(args -> /*INTERVISTA_CALL*/);
    }
}
