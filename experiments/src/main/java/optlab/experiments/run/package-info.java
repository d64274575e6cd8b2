/**
 * Reproducible training runs: a JSON {@link optlab.experiments.run.RunConfig} fully determines a run, the
 * {@link optlab.experiments.run.Trainer} executes it, and its output folder holds the results.
 *
 * <h2>Config</h2>
 * <pre>{@code
 * {"name": "smoke", "model": "mlp:784-256-10", "data": "fashion-mnist",
 *  "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "schedule": {"name": "cosine"},
 *  "batch_size": 100, "epochs": 1, "seed": 1, "threads": 2, "eval": {"every_steps": 200},
 *  "init": {"scheme": "pytorch", "from": "start.safetensors"}, "save_to": "final.safetensors"}
 * }</pre>
 * Every field, its default and its meaning are listed on {@link optlab.experiments.run.RunConfig}. Unknown fields
 * and bad values fail before anything runs, with the field's JSON path ("optimizer.lr: ..."). {@code optlab
 * train} takes the same settings as flags, which overwrite the file's fields.
 *
 * <h2>Output folder</h2>
 * <ul>
 *   <li>{@code steps.csv}: {@code step,loss,lr,seconds}. Row k is the loss of minibatch k before update k, the
 *       learning rate of update k and the training seconds so far (evaluation excluded). Losses are written at
 *       the model's precision, shortest text that reads back to the same bits.</li>
 *   <li>{@code evals.csv}: {@code step,epoch,train_loss,train_acc,test_loss,test_acc}, at step = updates done
 *       (0 at the start unless {@code eval.at_start} is false, every {@code eval.every_steps}, and at the end);
 *       train metrics on the first {@code eval.train_samples} training samples; empty cells when not computed.
 *       Then {@code val_loss,val_acc} when the data hold out a validation set ({@code "validation": n}), and
 *       {@code path_norm} (φ_2, or φ_p of Path-SGD's p) when the model has a path structure (MLP, CNN).</li>
 *   <li>{@code summary.json}: name, status ("running" while it goes on, then "completed", "diverged" with
 *       {@code diverged_at_step}, or "failed" with {@code error}), final metrics, wall_seconds (whole run,
 *       loading and evaluation included), samples_per_second (training steps only), pool_bytes (step and eval
 *       buffers after warm-up and at the end: equal when nothing new was allocated), environment and config.</li>
 * </ul>
 * CSVs are appended and flushed every 256 rows or 2 s, so a killed run keeps its finished rows; summary.json is
 * replaced atomically (temporary file, then one move) and is never half written. SIGTERM or Ctrl-C writes a
 * "failed" summary with the progress so far.
 *
 * <h2>Reproducibility and divergence</h2>
 * Initialization, shuffling (one permutation per epoch from (seed, epoch)) and dropout derive from {@code seed};
 * with the same thread count and vector width the losses repeat bit for bit. Synthetic data depend on the
 * data's own {@code task_seed}. A non-finite loss stops the run at once; the parameters are scanned (a plain
 * loop: 4.4 ms for 19.2M floats measured here, about 1% of an mlp:784-4000-4000-10 step at batch 100) before each evaluation, every
 * {@code check_every} (100) steps and at the end.
 */
package optlab.experiments.run;
