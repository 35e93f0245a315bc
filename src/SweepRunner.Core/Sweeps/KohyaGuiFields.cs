using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Sweeps;

/// <summary>
/// What SweepRunner knows about the fields bmaltais/kohya_ss GUI configs hold (their LoRA tab writes every field,
/// set or not): the ones renamed on the way to sd-scripts, the ones that do not change what is trained, the values
/// the GUI writes when a field is left alone, the fields of other model families, and the fields that make a config
/// one SweepRunner cannot train.
/// </summary>
static class KohyaGuiFields
{
    /// <summary>GUI field names that differ from the sd-scripts argument names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["epoch"] = SettingsCatalog.Epochs,
        ["optimizer"] = SettingsCatalog.Optimizer,
        ["max_resolution"] = SettingsCatalog.Resolution,
    };

    /// <summary>Fields about the machine, the GUI, logging or saving that do not change what is trained.</summary>
    public static readonly IReadOnlySet<string> NoEffect = new HashSet<string>(StringComparer.Ordinal)
    {
        "cache_latents", "cache_latents_to_disk", "xformers", "mem_eff_attn", "sdpa", "max_data_loader_n_workers",
        "persistent_data_loader_workers", "num_cpu_threads_per_process", "gradient_checkpointing", "vae_batch_size",
        "training_comment", "logging_dir", "output_dir", "reg_data_dir", "save_model_as", "save_state", "resume",
        "log_tracker_name", "log_tracker_config", "log_with", "log_config", "wandb_api_key", "wandb_run_name", "use_wandb",
        "sample_every_n_steps", "save_every_n_steps", "save_last_n_steps", "save_last_n_steps_state", "save_last_n_epochs",
        "save_last_n_epochs_state", "save_state_on_train_end", "save_as_bool", "lowram", "model_list", "LoRA_type",
        "skip_cache_check", "mem_eff_save", "disable_mmap_load_safetensors", "dynamo_backend", "dynamo_mode",
        "dynamo_use_dynamic", "dynamo_use_fullgraph", "extra_accelerate_launch_args", "gpu_ids", "main_process_port",
        "multi_gpu", "num_machines", "num_processes", "async_upload", "huggingface_path_in_repo", "huggingface_repo_id",
        "huggingface_repo_type", "huggingface_repo_visibility", "huggingface_token", "resume_from_huggingface",
        "save_state_to_huggingface", "metadata_author", "metadata_description", "metadata_license", "metadata_tags",
        "metadata_title",
    };

    /// <summary>
    /// The value the GUI writes for a field nobody changed, where that value means "off" or "sd-scripts' default"
    /// but is not empty, zero or false (those are always off).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, object> GuiDefaults = new Dictionary<string, object>(StringComparer.Ordinal)
    {
        ["prior_loss_weight"] = 1.0,
        ["max_token_length"] = 75.0,
        ["LoRA_type"] = "Standard",
        ["LyCORIS_preset"] = "full",
        ["noise_offset_type"] = "Original",
        ["max_timestep"] = 1000.0,
        ["factor"] = -1.0,
        ["unit"] = 1.0,
        ["loss_type"] = "l2",
        ["bucket_no_upscale"] = true,
    };

    /// <summary>Fields of LyCORIS and DyLoRA networks, passed to sd-scripts only with such a LoRA_type.</summary>
    public static readonly IReadOnlySet<string> LycorisOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "LyCORIS_preset", "factor", "unit", "use_cp", "use_tucker", "use_scalar", "rank_dropout_scale", "constrain", "rescaled",
        "train_norm", "train_on_input", "bypass_mode", "dora_wd", "decompose_both",
    };

    /// <summary>Fields the GUI passes to sd-scripts only with loss_type huber or smooth_l1.</summary>
    public static readonly IReadOnlySet<string> HuberOnly = new HashSet<string>(StringComparer.Ordinal) { "huber_c", "huber_scale", "huber_schedule" };

    /// <summary>Fields the GUI passes to sd-scripts only with noise_offset_type Multires.</summary>
    public static readonly IReadOnlySet<string> MultiresOnly = new HashSet<string>(StringComparer.Ordinal) { "multires_noise_iterations", "multires_noise_discount" };

    /// <summary>Fields the GUI passes to sd-scripts only with noise_offset_type Original.</summary>
    public static readonly IReadOnlySet<string> OriginalNoiseOnly = new HashSet<string>(StringComparer.Ordinal) { SettingsCatalog.NoiseOffset, "adaptive_noise_scale", "noise_offset_random_strength" };

    /// <summary>Fields of SD 2.x, SDXL, SD3 and FLUX.1 training, used only when their family is chosen (refused below).</summary>
    static readonly HashSet<string> OtherFamilyFields = new(StringComparer.Ordinal)
    {
        "ae", "apply_t5_attn_mask", "blocks_to_swap", "double_blocks_to_swap", "single_blocks_to_swap", "clip_g", "clip_l",
        "cpu_offload_checkpointing", "discrete_flow_shift", "guidance_scale", "logit_mean", "logit_std", "mode_scale",
        "model_prediction_type", "timestep_sampling", "weighting_scheme", "split_mode", "train_blocks", "save_clip",
        "save_t5xxl", "t5xxl", "blockwise_fused_optimizers", "fused_optimizer_groups", "fused_backward_pass",
        "scale_v_pred_loss_like_noise_pred", "v_pred_like_loss",
    };

    static readonly string[] OtherFamilyPrefixes = ["sdxl_", "sd3_", "flux1_", "flux_", "t5xxl_"];

    public static bool IsOtherFamilyField(string field) =>
        OtherFamilyFields.Contains(field) || OtherFamilyPrefixes.Any(p => field.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Fields that, when true, choose a model family SweepRunner does not train, and what that family is.</summary>
    public static readonly IReadOnlyList<(string Field, string Means)> RefusedWhenTrue =
    [
        ("v2", "a Stable Diffusion 2.x base model"),
        ("v_parameterization", "v-prediction (SD 2.x 768-v style models)"),
        ("sdxl", "an SDXL base model"),
        ("sd3_checkbox", "an SD3 base model"),
        ("flux1_checkbox", "a FLUX.1 base model"),
        ("fp8_base", "an fp8 base model (offered by kohya for SDXL, SD3 and FLUX.1)"),
    ];
}
