SELECT d.name AS department, e.name AS employee, e.salary AS salary
FROM employees AS e
JOIN departments AS d ON d.id = e.department_id
WHERE e.salary = (SELECT MAX(x.salary) FROM employees AS x WHERE x.department_id = e.department_id);
