<?php
// Intervista test harness: reads "nonce" then one JSON argument list per line from stdin,
// loads solution.php, calls the function once per line, writes "<nonce> <i> <json>" lines.
function intervista_normalize($value) {
    if (is_array($value)) {
        $out = [];
        foreach ($value as $item) { $out[] = intervista_normalize($item); }
        return $out;
    }
    return $value;
}

function intervista_main(string $name): void {
    $lines = explode("\n", stream_get_contents(STDIN));
    $nonce = trim($lines[0]);
    $tests = array_values(array_filter(array_slice($lines, 1), fn($l) => trim($l) !== ''));
    $out = fopen('php://fd/1', 'w');
    $emit = function (string $tag, array $payload) use ($out, $nonce) {
        $json = json_encode($payload, JSON_PRESERVE_ZERO_FRACTION | JSON_INVALID_UTF8_SUBSTITUTE);
        if ($json === false) {
            $json = json_encode(['ok' => false, 'ms' => 0, 'error' => 'result cannot be sent as JSON: ' . json_last_error_msg()]);
        }
        fwrite($out, "\n" . $nonce . ' ' . $tag . ' ' . $json . "\n");
        fflush($out);
    };
    try {
        require __DIR__ . '/solution.php';
    } catch (ParseError $e) {
        $emit('compile', ['line' => $e->getLine(), 'message' => 'ParseError: ' . $e->getMessage()]);
        return;
    } catch (Throwable $e) {
        $emit('load', ['error' => get_class($e) . ': ' . $e->getMessage()]);
        return;
    }
    if (!function_exists($name)) {
        $emit('load', ['error' => "function $name is not defined"]);
        return;
    }
    foreach ($tests as $index => $line) {
        $args = json_decode($line, true);
        $start = hrtime(true);
        try {
            $value = intervista_normalize($name(...$args));
            $payload = ['ok' => true, 'ms' => (hrtime(true) - $start) / 1e6, 'value' => $value];
        } catch (Throwable $e) {
            $line_no = basename($e->getFile()) === 'solution.php' ? ' (line ' . $e->getLine() . ')' : '';
            $payload = ['ok' => false, 'ms' => (hrtime(true) - $start) / 1e6,
                        'error' => substr(get_class($e) . ': ' . $e->getMessage(), 0, 2000) . $line_no];
        }
        if (ob_get_level() > 0) { @ob_end_flush(); }
        $emit((string)$index, $payload);
    }
}

intervista_main('__INTERVISTA_NAME__');
