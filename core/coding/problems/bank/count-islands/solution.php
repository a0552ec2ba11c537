<?php
function countIslands($grid) {
    $rows = count($grid);
    $cols = $rows ? strlen($grid[0]) : 0;
    $seen = [];
    $count = 0;
    for ($r = 0; $r < $rows; $r++) {
        for ($c = 0; $c < $cols; $c++) {
            if ($grid[$r][$c] !== '1' || isset($seen[$r * $cols + $c])) continue;
            $count++;
            $stack = [[$r, $c]];
            $seen[$r * $cols + $c] = true;
            while ($stack) {
                [$y, $x] = array_pop($stack);
                foreach ([[1, 0], [-1, 0], [0, 1], [0, -1]] as [$dy, $dx]) {
                    $ny = $y + $dy;
                    $nx = $x + $dx;
                    if ($ny >= 0 && $ny < $rows && $nx >= 0 && $nx < $cols
                        && $grid[$ny][$nx] === '1' && !isset($seen[$ny * $cols + $nx])) {
                        $seen[$ny * $cols + $nx] = true;
                        $stack[] = [$ny, $nx];
                    }
                }
            }
        }
    }
    return $count;
}
