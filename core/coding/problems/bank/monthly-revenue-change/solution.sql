SELECT month, revenue, revenue - LAG(revenue) OVER (ORDER BY month) AS change
FROM (
  SELECT substr(placed_on, 1, 7) AS month, SUM(total) AS revenue
  FROM orders
  GROUP BY substr(placed_on, 1, 7)
)
ORDER BY month;
