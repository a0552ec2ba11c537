<?php
function shortestPath($grid) {
    $rows = count($grid);
    $cols = strlen($grid[0]);
    if ($grid[0][0] === '#' || $grid[$rows - 1][$cols - 1] === '#') return -1;
    $dist = [0 => 0];
    $queue = [0];
    for ($head = 0; $head < count($queue); $head++) {
        $cell = $queue[$head];
        $y = intdiv($cell, $cols);
        $x = $cell % $cols;
        if ($y === $rows - 1 && $x === $cols - 1) return $dist[$cell];
        foreach ([[1, 0], [-1, 0], [0, 1], [0, -1]] as [$dy, $dx]) {
            $ny = $y + $dy;
            $nx = $x + $dx;
            $next = $ny * $cols + $nx;
            if ($ny >= 0 && $ny < $rows && $nx >= 0 && $nx < $cols
                && $grid[$ny][$nx] === '.' && !isset($dist[$next])) {
                $dist[$next] = $dist[$cell] + 1;
                $queue[] = $next;
            }
        }
    }
    return -1;
}
