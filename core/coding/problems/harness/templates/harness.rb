# Intervista test harness: reads "nonce" then one JSON argument list per line from stdin,
# loads solution.rb, calls the method once per line, writes "<nonce> <i> <json>" lines.
require 'json'

def intervista_main(name)
  lines = $stdin.read.split("\n")
  nonce = lines[0].strip
  tests = lines[1..].to_a.reject { |line| line.strip.empty? }
  out = IO.new(1, 'w', autoclose: false)
  emit = lambda do |tag, payload|
    $stdout.flush rescue nil
    out.write("\n#{nonce} #{tag} #{JSON.generate(payload)}\n")
    out.flush
  end
  begin
    load File.join(__dir__, 'solution.rb')
  rescue SyntaxError => e
    line = e.message[/solution\.rb:(\d+)/, 1]
    emit.call('compile', { line: line&.to_i, message: "SyntaxError: #{e.message}" })
    return
  rescue Exception => e
    emit.call('load', { error: "#{e.class}: #{e.message}" })
    return
  end
  unless Object.private_method_defined?(name) || Object.method_defined?(name)
    emit.call('load', { error: "method #{name} is not defined" })
    return
  end
  tests.each_with_index do |test_line, index|
    args = JSON.parse(test_line)
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    begin
      value = send(name, *args)
      ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000
      payload = { ok: true, ms: ms, value: value }
      JSON.generate(payload)
    rescue StandardError, SystemStackError, NoMemoryError, ScriptError => e
      ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000
      where = e.backtrace.to_a.find { |l| l.include?('solution.rb') }
      line = where && where[/solution\.rb:(\d+)/, 1]
      payload = { ok: false, ms: ms, error: "#{e.class}: #{e.message}"[0, 2000] + (line ? " (line #{line})" : '') }
    end
    emit.call(index.to_s, payload)
  end
end

intervista_main(:__INTERVISTA_NAME__)
