using SweepRunner.Diffusion.Model;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Results;
using System.Diagnostics;
using SweepRunner.Core.Previews;
using SweepRunner.Training.Data;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Training.LrSchedules;
using SweepRunner.Training.Optimizers;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Schedulers;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Training.Trainer;

/// <summary>Creates the optimizer of a run: (optimizer_type, parameter groups, optimizer_args) → optimizer.</summary>
public delegate ILoraOptimizer CreateOptimizer(string optimizerType, IReadOnlyList<ParameterGroup> groups, string? optimizerArgs);

/// <summary>
/// Trains a kohya LoRA as sd-scripts' train_network.py does: cached VAE latents, DDPM noise at uniform timesteps,
/// epsilon target, per-sample MSE then mean (min_snr_gamma weighting, noise_offset), gradient accumulation,
/// max_grad_norm clipping, the lr schedule, fp16 with dynamic loss scaling or bf16, LoRA files every
/// save_every_n_epochs and at the end, previews at sample_every_n_epochs. Each batch runs in its own dispose scope.
/// Non-finite loss or weights end the run with <see cref="TrainingDivergedException"/>.
/// </summary>
public sealed class LoraTrainer(CreateOptimizer optimizerFactory, LatentCache latentCache, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Renders previews; null uses <see cref="DiffusionPreviewRenderer"/> over the base model.</summary>
    public IPreviewRenderer? PreviewRenderer { get; init; }

    /// <summary>Time zone of modelspec.date (local time, as sd-scripts writes it).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Time the latest <see cref="Train"/> spent caching latents, rendering previews and saving; kept when it throws.</summary>
    public TrainingPhaseTimes PhaseTimes { get; } = new();

    public TrainingResult Train(TrainingJob job, TrainingBaseModel baseModel, TrainingDataset dataset, TrainingCallbacks? callbacks = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(dataset);
        callbacks ??= new TrainingCallbacks();
        var s = TrainingSettings.From(job.Settings);
        var model = baseModel.Model;
        var device = model.Unet.parameters().First().device;
        var stepsPerEpoch = dataset.StepsPerEpoch(s.GradientAccumulation);
        var totalSteps = stepsPerEpoch * s.Epochs;
        var schedule = LrSchedule.FromSettings(job.Settings, totalSteps);
        var networkOptions = LoraNetworkOptions.FromSettings(job.Settings);
        ValidatePreviews(job, s, model);
        Directory.CreateDirectory(job.OutputFolder);

        // Latents first, with the VAE as loaded: every (image, bucket, mirror) encoded at most once per VAE.
        var vaeIdentity = baseModel.VaeIdentity ?? VaeIdentity.Compute(model.Vae);
        PhaseTimes.Reset();
        var latents = PhaseTimes.Cache(() => CacheLatents(dataset, s.FlipAug, vaeIdentity, model, cancellation));
        var validationLatents = PhaseTimes.Cache(() => CacheValidationLatents(dataset, vaeIdentity, model, cancellation));

        var originalDtype = model.Unet.parameters().First().dtype;
        var weightDtype = s.WeightDtype;
        using var noiseGenerator = new Generator((ulong)s.Seed, CPU);
        using var dropoutGenerator = device.type == DeviceType.CPU ? null : new Generator((ulong)s.Seed + 1, device);
        LoraNetwork? network = null;
        ILoraOptimizer? optimizer = null;
        try
        {
            if (weightDtype != originalDtype)
            {
                model.Unet.to(weightDtype);
                model.TextEncoder.to(weightDtype);
            }
            using (var initGenerator = new Generator((ulong)s.Seed, CPU))
                network = LoraNetwork.Create(model, networkOptions, CPU, initGenerator);
            if (device.type != DeviceType.CPU) MoveNetwork(network, device);
            network.SetTraining(true, dropoutGenerator ?? noiseGenerator);
            var groups = network.ParameterGroups(s.UnetLr, s.TextEncoderLr);
            optimizer = optimizerFactory(s.OptimizerType, groups, s.OptimizerArgs);
            var run = new Run(this, job, baseModel, dataset, s, network, optimizer, schedule, latents, noiseGenerator, dropoutGenerator,
                callbacks, stepsPerEpoch, totalSteps, networkOptions, cancellation) { ValidationLatents = validationLatents };
            return run.Execute();
        }
        finally
        {
            optimizer?.Dispose();
            network?.Dispose();
            if (weightDtype != originalDtype)
            {
                model.Unet.to(originalDtype);
                model.TextEncoder.to(originalDtype);
            }
        }
    }

    /// <summary>Preview <paramref name="index"/>: its <c>--d</c> seed or the job's seed plus the index, its <c>--ss</c> sampler or sample_sampler.</summary>
    static ImageRequest PreviewRequest(TrainingJob job, TrainingSettings s, int index)
    {
        var prompt = job.PreviewPrompts[index];
        return ImageRequest.ForSamplePrompt(prompt, prompt.Seed ?? s.Seed + index, prompt.Sampler ?? s.SampleSampler, s.ClipSkip);
    }

    /// <summary>Checks every preview request against the model before training starts, so a bad prompt line fails the job at once.</summary>
    static void ValidatePreviews(TrainingJob job, TrainingSettings s, StableDiffusionModel model)
    {
        if (s.SampleEveryNEpochs is null && !s.SampleAtFirst) return;
        for (var i = 0; i < job.PreviewPrompts.Count; i++)
        {
            try
            {
                PreviewRequest(job, s, i).Validate(model.Config);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                throw new ArgumentException($"Sample prompt {i} (line {job.PreviewPrompts[i].LineNumber}): {e.Message}", e);
            }
        }
    }

    static void MoveNetwork(LoraNetwork network, Device device)
    {
        using var _ = no_grad();
        foreach (var parameter in network.Parameters())
        {
            using var moved = parameter.to(device);
            parameter.set_(moved);
        }
    }

    static Func<Tensor, Tensor> Encoder(StableDiffusionModel model)
    {
        var vaeDevice = model.Vae.parameters().First().device;
        var vaeDtype = model.Vae.parameters().First().dtype;
        return pixels =>
        {
            using var batch = pixels.unsqueeze(0).to(vaeDevice).to_type(vaeDtype);
            using var encoded = model.Vae.EncodeToLatents(batch);
            return encoded.squeeze(0).to_type(ScalarType.Float32).cpu();
        };
    }

    /// <summary>Latents of the validation images (unmirrored, in their buckets), from the cache.</summary>
    List<Tensor> CacheValidationLatents(TrainingDataset dataset, string vaeIdentity, StableDiffusionModel model, CancellationToken cancellation)
    {
        var encode = Encoder(model);
        var result = new List<Tensor>(dataset.Validation.Count);
        foreach (var image in dataset.Validation)
        {
            cancellation.ThrowIfCancellationRequested();
            var (w, h) = dataset.BucketSizes[image.Bucket];
            result.Add(latentCache.Get(image, w, h, false, vaeIdentity, encode));
        }
        return result;
    }

    /// <summary>Latents per image (index) and mirror flag, from the cache.</summary>
    Dictionary<(int Image, bool Flip), Tensor> CacheLatents(TrainingDataset dataset, bool flipAug, string vaeIdentity,
        StableDiffusionModel model, CancellationToken cancellation)
    {
        var encode = Encoder(model);
        var result = new Dictionary<(int, bool), Tensor>();
        for (var i = 0; i < dataset.Images.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var image = dataset.Images[i];
            var (w, h) = dataset.BucketSizes[image.Bucket];
            result[(i, false)] = latentCache.Get(image, w, h, false, vaeIdentity, encode);
            if (flipAug) result[(i, true)] = latentCache.Get(image, w, h, true, vaeIdentity, encode);
        }
        return result;
    }

    /// <summary>The mutable state of one run.</summary>
    sealed class Run(
        LoraTrainer trainer, TrainingJob job, TrainingBaseModel baseModel, TrainingDataset dataset, TrainingSettings s,
        LoraNetwork network, ILoraOptimizer optimizer, LrSchedule schedule, Dictionary<(int Image, bool Flip), Tensor> latents,
        Generator noiseGenerator, Generator? dropoutGenerator, TrainingCallbacks callbacks, long stepsPerEpoch, long totalSteps,
        LoraNetworkOptions networkOptions, CancellationToken cancellation)
    {
        readonly StableDiffusionModel _model = baseModel.Model;
        readonly Device _device = baseModel.Model.Unet.parameters().First().device;
        readonly LossScaler? _scaler = s.MixedPrecision == "fp16" ? new LossScaler() : null;
        readonly List<SavedLoraFile> _files = [];
        readonly List<SavedPreview> _previews = [];
        readonly List<double> _epochLosses = [];
        readonly CaptionProcessor _captions = new(s.ShuffleCaption, s.KeepTokens);
        readonly string _settingsHash = TrainingState.SettingsHash(job.Settings);
        // The schedule scales each group's configured rate; the optimizer's groups hold the rate last set, so read them once.
        readonly double[] _baseRates = optimizer.Groups.Select(group => group.LearningRate).ToArray();
        /// <summary>Latents of <see cref="TrainingDataset.Validation"/>, in its order.</summary>
        public IReadOnlyList<Tensor> ValidationLatents { get; init; } = [];

        long _step;
        long _scheduleStep;
        int _epoch = 1;
        int _nextBatch;
        double _epochLossSum;
        long _epochLossCount;
        DateTimeOffset _startedAt;
        KohyaMetadataInput? _metadata;

        public TrainingResult Execute()
        {
            _startedAt = trainer._time.GetUtcNow();
            var resumed = job.ResumeFrom is not null || job.ContinueFrom is not null;
            if (job.ResumeFrom is not null) Resume(job.ResumeFrom, continuing: false);
            else if (job.ContinueFrom is not null) Resume(job.ContinueFrom, continuing: true);
            _metadata = new KohyaMetadataInput(job.Settings, networkOptions, job.OutputName, baseModel.FileName, s.Epochs, totalSteps,
                dataset.BatchesPerEpoch, dataset.NumTrainImages, OptimizerNames.MetadataName(s.OptimizerType, s.OptimizerArgs), _startedAt,
                dataset.DatasetDirs, dataset.TagFrequency)
            {
                SessionId = KohyaMetadataInput.NewSessionId(),
                BaseModelHashes = baseModel.Hashes,
                BucketInfo = dataset.BucketInfo,
            };

            if (!resumed && s.SampleAtFirst) RenderPreviews(0);
            var clock = Stopwatch.StartNew();
            long samples = 0;
            for (; _epoch <= s.Epochs; _epoch++, _nextBatch = 0)
            {
                var batches = dataset.Epoch(s.Seed, _epoch);
                var micro = 0;
                double stepLoss = 0;
                for (var b = _nextBatch; b < batches.Count; b++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var loss = Forward(batches[b], b);
                    stepLoss += loss;
                    samples += batches[b].Images.Count;
                    micro++;
                    if (micro < s.GradientAccumulation && b < batches.Count - 1) continue;

                    var lr = OptimizerStep();
                    var meanLoss = stepLoss / micro;
                    _epochLossSum += meanLoss;
                    _epochLossCount++;
                    micro = 0;
                    stepLoss = 0;
                    _nextBatch = b + 1;
                    callbacks.Step?.Invoke(new TrainingProgress(_step, totalSteps, _epoch, meanLoss, lr,
                        samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), _scaler?.Scale ?? 1, _scaler?.SkippedSteps ?? 0));
                    if (cancellation.IsCancellationRequested)
                    {
                        SaveState();
                        cancellation.ThrowIfCancellationRequested();
                    }
                    if (callbacks.PauseAfterStep?.Invoke(_step) is true && _step < totalSteps)
                    {
                        if (_nextBatch == batches.Count)
                        {
                            FinishEpoch();
                            _epoch++;
                            _nextBatch = 0;
                        }
                        SaveState();
                        return Result(false, job.StatePath);
                    }
                }
                FinishEpoch();
            }
            // Written before the final LoRA, which marks the job finished: a finished job's final state is always complete.
            if (job.FinalStatePath is { } finalState) trainer.PhaseTimes.Save(() => WriteState(finalState));
            _epoch = s.Epochs;
            SaveLora(job.FinalLoraPath, s.Epochs, true);
            if (File.Exists(job.StatePath)) File.Delete(job.StatePath);
            return Result(true, null);
        }

        TrainingResult Result(bool completed, string? statePath) =>
            new(completed, _step, totalSteps, stepsPerEpoch, _files, _previews, _scaler?.SkippedSteps ?? 0, statePath, _epochLosses);

        void FinishEpoch()
        {
            _epochLosses.Add(_epochLossCount == 0 ? double.NaN : _epochLossSum / _epochLossCount);
            _epochLossSum = 0;
            _epochLossCount = 0;
            if (ValidationSet.IsDue(job.Settings, _epoch, s.Epochs) && dataset.Validation.Count > 0) Validate();
            if (SavesIntermediateAt(_epoch)) SaveLora(IntermediateLoraPath(_epoch), _epoch, false);
            if (s.SampleEveryNEpochs is { } m && _epoch % m == 0) RenderPreviews(_epoch);
        }

        bool SavesIntermediateAt(int epoch) => s.SaveEveryNEpochs is { } n && epoch > 0 && epoch % n == 0 && epoch < s.Epochs;

        string IntermediateLoraPath(int epoch) => Path.Combine(job.OutputFolder, $"{job.OutputName}-{epoch:D6}.safetensors");

        /// <summary>
        /// The LoRA of a preview after <paramref name="epoch"/>, as <c>sample --lora</c> names it in the infotext: the file
        /// saved for that epoch (the final file when none is), weight 1, and the short hash of the weights as they are now,
        /// which are that file's.
        /// </summary>
        InfotextLora PreviewLora(int epoch)
        {
            var file = SavesIntermediateAt(epoch) ? IntermediateLoraPath(epoch) : job.FinalLoraPath;
            return new InfotextLora(Path.GetFileNameWithoutExtension(file), 1, network.ComputeModelHash(s.SaveDtype)[..AttachedLora.ShortHashLength]);
        }

        /// <summary>Forward and backward of one batch; returns its loss (before scaling and accumulation).</summary>
        double Forward(TrainingBatch batch, int batchIndex)
        {
            using var scope = NewDisposeScope();
            var random = DerivedRandom.For(s.Seed, "batch", _epoch, batchIndex);
            var latentList = new List<Tensor>();
            var captions = new List<string>();
            foreach (var index in batch.Images)
            {
                var flip = s.FlipAug && random.Next(2) == 1;
                latentList.Add(latents[(index, flip)]);
                captions.Add(_captions.Process(dataset.Images[index].Caption, random));
            }
            var weightDtype = s.WeightDtype;
            var x0 = stack(latentList).to(_device);
            var tokens = tensor(captions.SelectMany(c => baseModel.Tokenizer.Encode(c).Ids.Select(i => (long)i)).ToArray(), ScalarType.Int64)
                .view(captions.Count, -1).to(_device);
            Tensor context;
            if (network.TextEncoderModules.Any())
                context = _model.TextEncoder.forward(tokens, s.ClipSkip);
            else
                using (no_grad()) context = _model.TextEncoder.forward(tokens, s.ClipSkip);

            var noise = randn(x0.shape, ScalarType.Float32, CPU, generator: noiseGenerator);
            if (s.NoiseOffset != 0) noise = NoiseOffset.Apply(noise, s.NoiseOffset, noiseGenerator);
            noise = noise.to(_device);
            // The family owns the objective: timesteps, how noise is added, and what the UNet should predict.
            var family = _model.Family;
            var timesteps = family.SampleTimesteps(batch.Images.Count, noiseGenerator, _device);
            var noisy = family.AddNoise(x0, noise, timesteps);
            var prediction = _model.Unet.forward(noisy.to_type(weightDtype), timesteps, context.to_type(weightDtype));
            var target = family.Target(x0, noise, timesteps);
            var perSample = (prediction.to_type(ScalarType.Float32) - target).pow(2).mean([1, 2, 3]);
            if (s.MinSnrGamma is { } gamma) perSample = perSample * family.MinSnrWeight(timesteps, gamma);
            var loss = perSample.mean();
            var value = loss.item<float>();
            if (!float.IsFinite(value))
                throw new TrainingDivergedException(_step + 1, $"the loss is {value}");
            var scaled = loss / s.GradientAccumulation;
            if (_scaler is not null) scaled = scaled * _scaler.Scale;
            scaled.backward();
            return value;
        }

        /// <summary>
        /// The validation loss after this epoch: every validation image alone (so batch size cannot change the sums), its
        /// caption as written, at each of <see cref="ValidationSet.Timesteps"/> with noise drawn from validation_seed, the
        /// image and the timestep alone, so every job and epoch of a sweep sees the same noisy inputs; the plain MSE to
        /// the family's target (no min-SNR weighting or noise offset, which jobs may differ in), averaged.
        /// </summary>
        void Validate()
        {
            var seed = ValidationSet.Seed(job.Settings);
            network.SetTraining(false);
            double sum = 0;
            var count = 0;
            try
            {
                var family = _model.Family;
                for (var i = 0; i < dataset.Validation.Count; i++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var image = dataset.Validation[i];
                    using var imageScope = NewDisposeScope();
                    using var _ = no_grad();
                    var x0 = ValidationLatents[i].unsqueeze(0).to(_device);
                    var tokens = tensor(baseModel.Tokenizer.Encode(image.Caption).Ids.Select(id => (long)id).ToArray(), ScalarType.Int64).view(1, -1).to(_device);
                    var context = _model.TextEncoder.forward(tokens, s.ClipSkip).to_type(s.WeightDtype);
                    foreach (var t in ValidationSet.Timesteps)
                    {
                        using var stepScope = NewDisposeScope();
                        using var generator = new Generator(DerivedRandom.Seed64(seed, "validation-noise", image.ContentHash, t), CPU);
                        var noise = randn(x0.shape, ScalarType.Float32, CPU, generator: generator).to(_device);
                        var timesteps = tensor(new long[] { t }, ScalarType.Int64).to(_device);
                        var noisy = family.AddNoise(x0, noise, timesteps);
                        var prediction = _model.Unet.forward(noisy.to_type(s.WeightDtype), timesteps, context);
                        sum += (prediction.to_type(ScalarType.Float32) - family.Target(x0, noise, timesteps)).pow(2).mean().item<float>();
                        count++;
                    }
                }
            }
            finally
            {
                network.SetTraining(true, dropoutGenerator ?? noiseGenerator);
            }
            callbacks.Validated?.Invoke(new ValidationLoss(_epoch, _step, sum / count, dataset.Validation.Count));
        }

        /// <summary>Unscales, checks, clips and applies the accumulated gradients; returns the UNet group's learning rate.</summary>
        double OptimizerStep()
        {
            using var scope = NewDisposeScope();
            _step++;
            var parameters = network.Parameters().ToList();
            var overflowed = false;
            if (_scaler is not null)
            {
                var inverse = 1.0 / _scaler.Scale;
                using (no_grad())
                {
                    var finite = true;
                    foreach (var parameter in parameters)
                    {
                        var grad = parameter.grad;
                        if (grad is null) continue;
                        grad.mul_(inverse);
                        finite &= grad.isfinite().all().item<bool>();
                    }
                    overflowed = !finite;
                }
                _scaler.Update(overflowed);
            }

            var groupIndex = optimizer.Groups.Count - 1;
            double lr = schedule.LearningRate(_baseRates[groupIndex], _scheduleStep);
            if (!overflowed)
            {
                if (s.MaxGradNorm > 0) nn.utils.clip_grad_norm_(parameters, s.MaxGradNorm);
                for (var g = 0; g < optimizer.Groups.Count; g++)
                    optimizer.SetLearningRate(g, schedule.LearningRate(_baseRates[g], _scheduleStep));
                optimizer.Step();
                lr = optimizer.EffectiveLearningRate(groupIndex);
                _scheduleStep++;
                using (no_grad())
                {
                    var finite = stack(parameters.Select(p => p.isfinite().all()).ToArray()).all().item<bool>();
                    if (!finite) throw new TrainingDivergedException(_step, "the LoRA weights are no longer finite");
                }
            }
            optimizer.ZeroGrad();
            return lr;
        }

        void SaveLora(string path, int epoch, bool final) => trainer.PhaseTimes.Save(() => WriteLora(path, epoch, final));

        void WriteLora(string path, int epoch, bool final)
        {
            var hash = network.ComputeModelHash(s.SaveDtype);
            var metadata = KohyaMetadata.Build(_metadata!, epoch, _step, trainer._time.GetUtcNow(), hash, trainer.TimeZone);
            foreach (var (key, value) in job.ExtraMetadata) metadata[key] = value;
            metadata["sshs_legacy_hash"] = network.ComputeLegacyHash(s.SaveDtype, KohyaMetadata.LegacyHashMetadata(metadata));
            var written = network.Save(path, s.SaveDtype, metadata);
            var saved = new SavedLoraFile(written.Path, epoch, _step, written.ModelHash, final);
            _files.Add(saved);
            callbacks.LoraSaved?.Invoke(saved);
        }

        void RenderPreviews(int epoch) => trainer.PhaseTimes.Sample(() => WritePreviews(epoch));

        void WritePreviews(int epoch)
        {
            if (job.PreviewPrompts.Count == 0) return;
            var renderer = trainer.PreviewRenderer ?? new DiffusionPreviewRenderer(_model, baseModel.Tokenizer);
            network.SetTraining(false);
            var lora = PreviewLora(epoch);
            try
            {
                for (var i = 0; i < job.PreviewPrompts.Count; i++)
                {
                    var request = PreviewRequest(job, s, i);
                    var image = renderer.Render(request, cancellation);
                    var path = Path.Combine(job.OutputFolder, "sample", $"{job.OutputName}_e{epoch:D6}_{i:D2}.png");
                    var parameters = ImageInfotext.For(request, Path.GetFileNameWithoutExtension(baseModel.Name), [lora]);
                    PreviewPng.Write(path, image, Infotext.Format(parameters));
                    var saved = new SavedPreview(Path.GetFullPath(path), epoch, i, request.Seed);
                    _previews.Add(saved);
                    callbacks.PreviewSaved?.Invoke(saved);
                }
            }
            finally
            {
                network.SetTraining(true, dropoutGenerator ?? noiseGenerator);
            }
        }

        void SaveState() => trainer.PhaseTimes.Save(() => WriteState(job.StatePath));

        void WriteState(string path)
        {
            var position = new TrainingPosition(_settingsHash, _step, _scheduleStep, _epoch, _nextBatch, _scaler?.Scale ?? 1,
                _scaler?.GoodSteps ?? 0, _scaler?.SkippedSteps ?? 0, _startedAt.ToUnixTimeMilliseconds(), _epochLossSum, _epochLossCount, _epochLosses,
                job.PrefixKey);
            var lora = network.StateTensors(ScalarType.Float32);
            var optimizerState = optimizer.StateDict();
            var generators = new Dictionary<string, Tensor> { ["noise"] = noiseGenerator.get_state() };
            if (dropoutGenerator is not null) generators["dropout"] = dropoutGenerator.get_state().cpu();
            try
            {
                if (Path.GetDirectoryName(path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
                TrainingState.Save(path, position, lora, optimizerState, generators);
            }
            finally
            {
                foreach (var (_, tensor) in lora) tensor.Dispose();
                foreach (var tensor in optimizerState.Values) tensor.Dispose();
                foreach (var tensor in generators.Values) tensor.Dispose();
            }
        }

        /// <param name="continuing">The state is a shorter job's last one: it must share this run's prefix key and end on an epoch before this run's last.</param>
        void Resume(string path, bool continuing)
        {
            var (position, lora, optimizerState, generators) = TrainingState.Load(path);
            try
            {
                if (continuing)
                {
                    if (job.PrefixKey is null || position.PrefixKey != job.PrefixKey)
                        throw new InvalidOperationException($"Training state '{path}' was written by a run that is not the first part of this one; it cannot be continued by this job.");
                    if (position.NextBatch != 0 || position.Epoch > s.Epochs)
                        throw new InvalidOperationException($"Training state '{path}' ends at step {position.Step} (epoch {position.Epoch - 1}), not before this job's last epoch {s.Epochs}; it cannot be continued by this job.");
                }
                else if (position.SettingsHash != _settingsHash)
                    throw new InvalidOperationException($"Training state '{path}' was written by a job with other settings; it cannot be resumed by this one.");
                using (no_grad())
                {
                    foreach (var module in network.Modules)
                    {
                        module.Down.copy_(lora[module.Name + LoraNetwork.DownSuffix]);
                        module.Up.copy_(lora[module.Name + LoraNetwork.UpSuffix]);
                    }
                }
                optimizer.LoadStateDict(optimizerState);
                noiseGenerator.set_state(generators["noise"]);
                if (dropoutGenerator is not null && generators.TryGetValue("dropout", out var dropoutState)) dropoutGenerator.set_state(dropoutState);
                _step = position.Step;
                _scheduleStep = position.ScheduleStep;
                _epoch = position.Epoch;
                _nextBatch = position.NextBatch;
                _scaler?.Restore(position.LossScale, position.GoodSteps, position.SkippedSteps);
                _startedAt = DateTimeOffset.FromUnixTimeMilliseconds(position.StartedAtUnixMilliseconds);
                _epochLossSum = position.EpochLossSum;
                _epochLossCount = position.EpochLossCount;
                _epochLosses.AddRange(position.EpochLosses);
            }
            finally
            {
                foreach (var tensor in lora.Values.Concat(optimizerState.Values).Concat(generators.Values)) tensor.Dispose();
            }
        }
    }
}
