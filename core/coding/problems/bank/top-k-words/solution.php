<?php
function topKWords($words, $k) {
    $counts = [];
    foreach ($words as $w) $counts[$w] = ($counts[$w] ?? 0) + 1;
    $keys = array_map('strval', array_keys($counts));
    usort($keys, fn($a, $b) => ($counts[$b] <=> $counts[$a]) ?: strcmp($a, $b));
    return array_slice($keys, 0, $k);
}
