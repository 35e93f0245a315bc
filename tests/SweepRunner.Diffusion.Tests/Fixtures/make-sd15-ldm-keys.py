"""Writes sd15-ldm-keys.txt: every tensor of a single-file SD1.5 checkpoint as `ldm_name shape diffusers_name`.

Input: ostris/ai-toolkit toolkit/keymaps/stable_diffusion_sd1.json (its "ldm_diffusers_keymap" maps the 1130 LDM
keys to diffusers names). Shapes follow from the diffusers model configs of SD1.5 (unet, vae, text_encoder
config.json), computed from the diffusers name, so they check the LDM-named model from a second direction.

usage: python3 make-sd15-ldm-keys.py stable_diffusion_sd1.json > sd15-ldm-keys.txt
"""
import json
import re
import sys

UNET_BLOCKS = [320, 640, 1280, 1280]
UNET_LAYERS = 2
TIME_DIM = 1280
CONTEXT = 768
VAE_BLOCKS = [128, 256, 512, 512]
LATENT = 4
CLIP_WIDTH, CLIP_MLP, CLIP_VOCAB, CLIP_POSITIONS = 768, 3072, 49408, 77


def unet_resnet_channels(kind, block, layer):
    if kind == "down":
        out = UNET_BLOCKS[block]
        if layer > 0:
            return out, out
        return (UNET_BLOCKS[0] if block == 0 else UNET_BLOCKS[block - 1]), out
    if kind == "mid":
        return UNET_BLOCKS[-1], UNET_BLOCKS[-1]
    reversed_blocks = list(reversed(UNET_BLOCKS))
    out = reversed_blocks[block]
    previous = reversed_blocks[block - 1] if block > 0 else UNET_BLOCKS[-1]
    block_input = reversed_blocks[min(block + 1, len(UNET_BLOCKS) - 1)]
    skip = block_input if layer == UNET_LAYERS else out
    return (previous if layer == 0 else out) + skip, out


def vae_resnet_channels(part, block, layer):
    if part == "encoder":
        out = VAE_BLOCKS[block]
        first = VAE_BLOCKS[0] if block == 0 else VAE_BLOCKS[block - 1]
        return (first if layer == 0 else out), out
    reversed_blocks = list(reversed(VAE_BLOCKS))
    out = reversed_blocks[block]
    previous = reversed_blocks[block - 1] if block > 0 else VAE_BLOCKS[-1]
    return (previous if layer == 0 else out), out


def resnet_shape(child, param, cin, cout, time_proj):
    if child == "norm1":
        return [cin]
    if child == "norm2":
        return [cout]
    if child == "conv1":
        return [cout, cin, 3, 3] if param == "weight" else [cout]
    if child == "conv2":
        return [cout, cout, 3, 3] if param == "weight" else [cout]
    if child == "conv_shortcut":
        return [cout, cin, 1, 1] if param == "weight" else [cout]
    if child == "time_emb_proj" and time_proj:
        return [cout, TIME_DIM] if param == "weight" else [cout]
    raise ValueError(child)


def transformer_shape(rest, param, c):
    if rest in ("norm", "transformer_blocks.0.norm1", "transformer_blocks.0.norm2", "transformer_blocks.0.norm3"):
        return [c]
    if rest in ("proj_in", "proj_out"):
        return [c, c, 1, 1] if param == "weight" else [c]
    m = re.fullmatch(r"transformer_blocks\.0\.(attn[12])\.(to_q|to_k|to_v|to_out\.0)", rest)
    if m:
        attn, proj = m.groups()
        if proj == "to_out.0":
            return [c, c] if param == "weight" else [c]
        source = CONTEXT if attn == "attn2" and proj in ("to_k", "to_v") else c
        return [c, source]
    if rest == "transformer_blocks.0.ff.net.0.proj":
        return [8 * c, c] if param == "weight" else [8 * c]
    if rest == "transformer_blocks.0.ff.net.2":
        return [c, 4 * c] if param == "weight" else [c]
    raise ValueError(rest)


def unet_shape(name):
    module, param = name.rsplit(".", 1)
    fixed = {
        "time_embedding.linear_1": ([TIME_DIM, UNET_BLOCKS[0]], [TIME_DIM]),
        "time_embedding.linear_2": ([TIME_DIM, TIME_DIM], [TIME_DIM]),
        "conv_in": ([UNET_BLOCKS[0], LATENT, 3, 3], [UNET_BLOCKS[0]]),
        "conv_norm_out": ([UNET_BLOCKS[0]], [UNET_BLOCKS[0]]),
        "conv_out": ([LATENT, UNET_BLOCKS[0], 3, 3], [LATENT]),
    }
    if module in fixed:
        return fixed[module][0 if param == "weight" else 1]
    m = re.fullmatch(r"(down|up)_blocks\.(\d+)\.resnets\.(\d+)\.(\w+)", module) or re.fullmatch(r"(mid)_block\.resnets\.(\d+)\.(\w+)", module)
    if m:
        if m.group(1) == "mid":
            cin, cout = unet_resnet_channels("mid", 0, 0)
            return resnet_shape(m.group(3), param, cin, cout, True)
        cin, cout = unet_resnet_channels(m.group(1), int(m.group(2)), int(m.group(3)))
        return resnet_shape(m.group(4), param, cin, cout, True)
    m = re.fullmatch(r"(down|up)_blocks\.(\d+)\.attentions\.\d+\.(.+)", module) or re.fullmatch(r"(mid)_block\.attentions\.0\.(.+)", module)
    if m:
        if m.group(1) == "mid":
            return transformer_shape(m.group(2), param, UNET_BLOCKS[-1])
        block = int(m.group(2))
        c = UNET_BLOCKS[block] if m.group(1) == "down" else list(reversed(UNET_BLOCKS))[block]
        return transformer_shape(m.group(3), param, c)
    m = re.fullmatch(r"(down|up)_blocks\.(\d+)\.(downsamplers|upsamplers)\.0\.conv", module)
    if m:
        block = int(m.group(2))
        c = UNET_BLOCKS[block] if m.group(1) == "down" else list(reversed(UNET_BLOCKS))[block]
        return [c, c, 3, 3] if param == "weight" else [c]
    raise ValueError(name)


def vae_shape(name):
    module, param = name.rsplit(".", 1)
    fixed = {
        "quant_conv": ([2 * LATENT, 2 * LATENT, 1, 1], [2 * LATENT]),
        "post_quant_conv": ([LATENT, LATENT, 1, 1], [LATENT]),
        "encoder.conv_in": ([VAE_BLOCKS[0], 3, 3, 3], [VAE_BLOCKS[0]]),
        "encoder.conv_norm_out": ([VAE_BLOCKS[-1]], [VAE_BLOCKS[-1]]),
        "encoder.conv_out": ([2 * LATENT, VAE_BLOCKS[-1], 3, 3], [2 * LATENT]),
        "decoder.conv_in": ([VAE_BLOCKS[-1], LATENT, 3, 3], [VAE_BLOCKS[-1]]),
        "decoder.conv_norm_out": ([VAE_BLOCKS[0]], [VAE_BLOCKS[0]]),
        "decoder.conv_out": ([3, VAE_BLOCKS[0], 3, 3], [3]),
    }
    if module in fixed:
        return fixed[module][0 if param == "weight" else 1]
    m = re.fullmatch(r"(encoder|decoder)\.(down|up)_blocks\.(\d+)\.resnets\.(\d+)\.(\w+)", module)
    if m:
        cin, cout = vae_resnet_channels(m.group(1), int(m.group(3)), int(m.group(4)))
        return resnet_shape(m.group(5), param, cin, cout, False)
    m = re.fullmatch(r"(encoder|decoder)\.(down|up)_blocks\.(\d+)\.(downsamplers|upsamplers)\.0\.conv", module)
    if m:
        block = int(m.group(3))
        c = VAE_BLOCKS[block] if m.group(1) == "encoder" else list(reversed(VAE_BLOCKS))[block]
        return [c, c, 3, 3] if param == "weight" else [c]
    m = re.fullmatch(r"(encoder|decoder)\.mid_block\.resnets\.\d\.(\w+)", module)
    if m:
        return resnet_shape(m.group(2), param, VAE_BLOCKS[-1], VAE_BLOCKS[-1], False)
    m = re.fullmatch(r"(encoder|decoder)\.mid_block\.attentions\.0\.(group_norm|to_q|to_k|to_v|to_out\.0)", module)
    if m:
        c = VAE_BLOCKS[-1]
        # The LDM file stores these projections as 1x1 convolutions.
        return [c] if m.group(2) == "group_norm" or param == "bias" else [c, c, 1, 1]
    raise ValueError(name)


def text_shape(name):
    module, param = name.rsplit(".", 1)
    if module == "text_model.embeddings.token_embedding":
        return [CLIP_VOCAB, CLIP_WIDTH]
    if module == "text_model.embeddings.position_embedding":
        return [CLIP_POSITIONS, CLIP_WIDTH]
    if module == "text_model.final_layer_norm" or re.fullmatch(r"text_model\.encoder\.layers\.\d+\.layer_norm[12]", module):
        return [CLIP_WIDTH]
    if re.fullmatch(r"text_model\.encoder\.layers\.\d+\.self_attn\.(q|k|v|out)_proj", module):
        return [CLIP_WIDTH, CLIP_WIDTH] if param == "weight" else [CLIP_WIDTH]
    if re.fullmatch(r"text_model\.encoder\.layers\.\d+\.mlp\.fc1", module):
        return [CLIP_MLP, CLIP_WIDTH] if param == "weight" else [CLIP_MLP]
    if re.fullmatch(r"text_model\.encoder\.layers\.\d+\.mlp\.fc2", module):
        return [CLIP_WIDTH, CLIP_MLP] if param == "weight" else [CLIP_WIDTH]
    raise ValueError(name)


def main():
    keymap = json.load(open(sys.argv[1]))["ldm_diffusers_keymap"]
    print("# SD1.5 single-file checkpoint tensors: LDM name, shape, diffusers name (see make-sd15-ldm-keys.py)")
    for ldm in sorted(keymap):
        diffusers = keymap[ldm]
        if diffusers.startswith("unet_"):
            shape = unet_shape(diffusers[len("unet_"):])
        elif diffusers.startswith("vae_"):
            shape = vae_shape(diffusers[len("vae_"):])
        elif diffusers.startswith("te_"):
            shape = text_shape(diffusers[len("te_"):])
        else:
            raise ValueError(diffusers)
        print(f"{ldm} {'x'.join(map(str, shape))} {diffusers}")


main()
