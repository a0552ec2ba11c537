<?php
function runLengthEncode($text) {
    $out = '';
    $n = strlen($text);
    for ($i = 0; $i < $n; ) {
        $j = $i;
        while ($j < $n && $text[$j] === $text[$i]) $j++;
        $out .= $text[$i] . ($j - $i);
        $i = $j;
    }
    return $out;
}
