# The to-do system of "Elixir in Action" (Saša Jurić), chapters 9–10, as one script with no
# dependencies: an OTP application `:todo` whose tree canopy-beam draws.
#
#   elixir --sname todo@localhost --cookie SECRET examples/beam/todo_elixir/todo.exs
#   canopyctl tree beam:todo@localhost --cookie SECRET
#
# Todo.System (one_for_one)
# ├── Todo.ProcessRegistry   Registry (unique keys) naming the database workers and the to-do servers
# ├── Todo.Database          Supervisor of a pool of Todo.DatabaseWorker (storage in a temp dir)
# ├── Todo.Cache             DynamicSupervisor of Todo.Server, one per to-do list (temporary)
# └── Todo.Metrics           a Task that logs memory and process counts every 10 s

defmodule Todo.List do
  defstruct next_id: 1, entries: %{}

  def new(entries \\ []), do: Enum.reduce(entries, %Todo.List{}, &add_entry(&2, &1))

  def add_entry(list, entry) do
    entry = Map.put(entry, :id, list.next_id)
    %Todo.List{list | entries: Map.put(list.entries, list.next_id, entry), next_id: list.next_id + 1}
  end

  def entries(list, date) do
    list.entries |> Map.values() |> Enum.filter(&(&1.date == date))
  end
end

defmodule Todo.ProcessRegistry do
  def start_link, do: Registry.start_link(keys: :unique, name: __MODULE__)
  def via_tuple(key), do: {:via, Registry, {__MODULE__, key}}

  def child_spec(_) do
    Supervisor.child_spec(Registry.child_spec(keys: :unique, name: __MODULE__), id: __MODULE__, start: {__MODULE__, :start_link, []})
  end
end

defmodule Todo.DatabaseWorker do
  use GenServer

  def start_link({folder, worker_id}) do
    GenServer.start_link(__MODULE__, folder, name: via_tuple(worker_id))
  end

  def store(worker_id, key, data), do: GenServer.cast(via_tuple(worker_id), {:store, key, data})
  def get(worker_id, key), do: GenServer.call(via_tuple(worker_id), {:get, key})

  defp via_tuple(worker_id), do: Todo.ProcessRegistry.via_tuple({__MODULE__, worker_id})

  @impl true
  def init(folder), do: {:ok, folder}

  @impl true
  def handle_cast({:store, key, data}, folder) do
    folder |> Path.join(to_string(key)) |> File.write!(:erlang.term_to_binary(data))
    {:noreply, folder}
  end

  @impl true
  def handle_call({:get, key}, _, folder) do
    data =
      case File.read(Path.join(folder, to_string(key))) do
        {:ok, contents} -> :erlang.binary_to_term(contents)
        _ -> nil
      end

    {:reply, data, folder}
  end
end

defmodule Todo.Database do
  @pool_size 3

  def start_link do
    folder = Path.join(System.tmp_dir!(), "todo-db-#{System.pid()}")
    File.mkdir_p!(folder)
    children = Enum.map(1..@pool_size, &worker_spec(folder, &1))
    Supervisor.start_link(children, strategy: :one_for_one, name: __MODULE__)
  end

  def child_spec(_), do: %{id: __MODULE__, start: {__MODULE__, :start_link, []}, type: :supervisor}

  def store(key, data), do: key |> choose_worker() |> Todo.DatabaseWorker.store(key, data)
  def get(key), do: key |> choose_worker() |> Todo.DatabaseWorker.get(key)

  defp choose_worker(key), do: :erlang.phash2(key, @pool_size) + 1

  defp worker_spec(folder, worker_id) do
    Supervisor.child_spec({Todo.DatabaseWorker, {folder, worker_id}}, id: worker_id)
  end
end

defmodule Todo.Server do
  use GenServer, restart: :temporary

  def start_link(name), do: GenServer.start_link(__MODULE__, name, name: via_tuple(name))
  def add_entry(pid, entry), do: GenServer.cast(pid, {:add_entry, entry})
  def entries(pid, date), do: GenServer.call(pid, {:entries, date})

  defp via_tuple(name), do: Todo.ProcessRegistry.via_tuple({__MODULE__, name})

  @impl true
  def init(name), do: {:ok, {name, Todo.Database.get(name) || Todo.List.new()}}

  @impl true
  def handle_cast({:add_entry, entry}, {name, list}) do
    list = Todo.List.add_entry(list, entry)
    Todo.Database.store(name, list)
    {:noreply, {name, list}}
  end

  @impl true
  def handle_call({:entries, date}, _, {name, list}), do: {:reply, Todo.List.entries(list, date), {name, list}}
end

defmodule Todo.Cache do
  def start_link, do: DynamicSupervisor.start_link(name: __MODULE__, strategy: :one_for_one)

  def child_spec(_), do: %{id: __MODULE__, start: {__MODULE__, :start_link, []}, type: :supervisor}

  def server_process(todo_list_name) do
    case start_child(todo_list_name) do
      {:ok, pid} -> pid
      {:error, {:already_started, pid}} -> pid
    end
  end

  defp start_child(name), do: DynamicSupervisor.start_child(__MODULE__, {Todo.Server, name})
end

defmodule Todo.Metrics do
  use Task

  def start_link(_arg), do: Task.start_link(&loop/0)

  defp loop do
    Process.sleep(:timer.seconds(10))
    _ = [memory_used: :erlang.memory(:total), process_count: :erlang.system_info(:process_count)]
    loop()
  end
end

defmodule Todo.System do
  def start_link do
    Supervisor.start_link([Todo.ProcessRegistry, Todo.Database, Todo.Cache, Todo.Metrics],
      strategy: :one_for_one, name: __MODULE__)
  end
end

defmodule Todo.Application do
  use Application
  @impl true
  def start(_type, _args), do: Todo.System.start_link()
end

# An application without mix: its resource spec given directly.
:ok = :application.load({:application, :todo, [description: 'Elixir in Action to-do system', vsn: '0.1.0',
                                               modules: [], registered: [], applications: [:kernel, :stdlib, :elixir, :logger],
                                               mod: {Todo.Application, []}]})
{:ok, _} = Application.ensure_all_started(:todo)

for name <- ["Alice", "Bob"] do
  pid = Todo.Cache.server_process(name)
  Todo.Server.add_entry(pid, %{date: ~D[2026-12-04], title: "Dentist"})
end

IO.puts("todo: started (#{inspect(node())})")
Process.sleep(:infinity)
