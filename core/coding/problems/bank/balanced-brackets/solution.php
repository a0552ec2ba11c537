<?php
function isBalanced($text) {
    $pairs = [')' => '(', ']' => '[', '}' => '{'];
    $stack = [];
    for ($i = 0; $i < strlen($text); $i++) {
        $ch = $text[$i];
        if (in_array($ch, ['(', '[', '{'], true)) {
            $stack[] = $ch;
        } elseif (isset($pairs[$ch])) {
            if (array_pop($stack) !== $pairs[$ch]) return false;
        }
    }
    return count($stack) === 0;
}
