/** How many `vmtasks_task_progress_ratio` series `vmtasks serve` exports at most, unless `--max-task-series` says otherwise. */
export const DEFAULT_MAX_TASK_SERIES = 1_000;
